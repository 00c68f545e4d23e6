using System.Text.Json.Serialization;

namespace MedSpa.StripeEmulator;

public enum FaultKind
{
    /// <summary>Answer 500 without doing anything.</summary>
    ServerErrorBefore,

    /// <summary>Do the work (and store it under the idempotency key), then answer 500: the client never learns the outcome.</summary>
    ServerErrorAfter,

    /// <summary>Answer 429 without doing anything.</summary>
    RateLimited,

    /// <summary>Hold the request before it runs (inside the idempotency window, so a concurrent retry sees 409).</summary>
    Delay,
}

/// <summary>
/// Body of <c>POST /_emulator/faults</c>. <c>kind</c>: <c>500_before</c>, <c>500_after</c>, <c>429</c>, <c>delay</c>.
/// Applies to requests whose path starts with <c>path</c> (and method, if given), either the next <c>count</c>
/// of them or each with probability <c>rate</c>.
/// </summary>
public sealed record FaultRequest(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("path")] string? Path = null,
    [property: JsonPropertyName("method")] string? Method = null,
    [property: JsonPropertyName("rate")] double? Rate = null,
    [property: JsonPropertyName("count")] int? Count = null,
    [property: JsonPropertyName("delay_ms")] int? DelayMs = null);

public sealed record FaultRule(string Id, FaultKind Kind, string Path, string? Method, double? Rate, int? Remaining, TimeSpan Delay);

public sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private readonly List<FaultRule> _rules = [];

    public FaultRule Add(FaultRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var kind = request.Kind switch
        {
            "500_before" => FaultKind.ServerErrorBefore,
            "500_after" => FaultKind.ServerErrorAfter,
            "429" => FaultKind.RateLimited,
            "delay" or "delay_ms" => FaultKind.Delay,
            _ => throw new ArgumentException($"Unknown fault kind '{request.Kind}'.", nameof(request)),
        };
        if (request.Rate is < 0 or > 1)
        {
            throw new ArgumentException("rate must be between 0 and 1.", nameof(request));
        }

        var rule = new FaultRule(
            StripeIds.New("fault"), kind, request.Path ?? "/v1/", request.Method?.ToUpperInvariant(),
            request.Rate, request.Rate is null ? request.Count ?? 1 : request.Count, TimeSpan.FromMilliseconds(request.DelayMs ?? 0));
        lock (_gate)
        {
            _rules.Add(rule);
        }

        return rule;
    }

    public IReadOnlyList<FaultRule> Rules()
    {
        lock (_gate)
        {
            return [.. _rules];
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
        }
    }

    /// <summary>The faults that fire for this request: rules are consumed as they fire.</summary>
    public IReadOnlyList<FaultRule> Draw(string method, string path)
    {
        lock (_gate)
        {
            var fired = new List<FaultRule>();
            for (var i = 0; i < _rules.Count; i++)
            {
                var rule = _rules[i];
                if (!path.StartsWith(rule.Path, StringComparison.Ordinal) || (rule.Method is not null && rule.Method != method))
                {
                    continue;
                }

                if (rule.Rate is { } rate && Random.Shared.NextDouble() >= rate)
                {
                    continue;
                }

                fired.Add(rule);
                if (rule.Remaining is { } remaining)
                {
                    if (remaining <= 1)
                    {
                        _rules.RemoveAt(i--);
                    }
                    else
                    {
                        _rules[i] = rule with { Remaining = remaining - 1 };
                    }
                }
            }

            return fired;
        }
    }
}
