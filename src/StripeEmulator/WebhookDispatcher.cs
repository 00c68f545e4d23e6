using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MedSpa.StripeEmulator;

/// <summary>
/// Body of <c>POST /_emulator/webhooks</c>. <c>duplicate_rate</c>: chance each event is delivered twice;
/// <c>max_delay_ms</c>: each delivery waits a random time up to this, so events arrive out of order;
/// <c>api_version</c>: stamped on events (default: the version the API caller sent, as Stripe.net checks it).
/// </summary>
public sealed record WebhookRequest(
    [property: JsonPropertyName("url")] Uri Url,
    [property: JsonPropertyName("secret")] string Secret,
    [property: JsonPropertyName("duplicate_rate")] double DuplicateRate = 0,
    [property: JsonPropertyName("max_delay_ms")] int MaxDelayMs = 0,
    [property: JsonPropertyName("api_version")] string? ApiVersion = null);

public sealed record WebhookEndpoint(string Id, Uri Url, string Secret, double DuplicateRate, TimeSpan MaxDelay, string? ApiVersion);

/// <summary>Signs and posts events to registered endpoints, fire-and-forget with a few retries, like Stripe's deliveries.</summary>
public sealed partial class WebhookDispatcher(TimeProvider time, ILogger<WebhookDispatcher> logger) : BackgroundService
{
    /// <summary>What the emulator stamps on events before any client has told it its API version.</summary>
    public const string DefaultApiVersion = "2026-10-28.endive";

    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)];

    private readonly Channel<JsonObject> _events = Channel.CreateUnbounded<JsonObject>();
    private readonly Lock _gate = new();
    private readonly List<WebhookEndpoint> _endpoints = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private string? _lastApiVersion;

    public WebhookEndpoint Register(WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var endpoint = new WebhookEndpoint(
            StripeIds.New("we"), request.Url, request.Secret, Math.Clamp(request.DuplicateRate, 0, 1),
            TimeSpan.FromMilliseconds(Math.Max(0, request.MaxDelayMs)), request.ApiVersion);
        lock (_gate)
        {
            _endpoints.Add(endpoint);
        }

        return endpoint;
    }

    public IReadOnlyList<WebhookEndpoint> Endpoints()
    {
        lock (_gate)
        {
            return [.. _endpoints];
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _endpoints.Clear();
        }
    }

    public string ApiVersionFor(string? requested)
    {
        if (!string.IsNullOrEmpty(requested))
        {
            Volatile.Write(ref _lastApiVersion, requested);
            return requested;
        }

        return Volatile.Read(ref _lastApiVersion) ?? DefaultApiVersion;
    }

    public void Enqueue(JsonObject stripeEvent) => _events.Writer.TryWrite(stripeEvent);

    /// <summary>Stripe's scheme: <c>t=&lt;unix&gt;,v1=&lt;hex HMAC-SHA256("t.payload", secret)&gt;</c>.</summary>
    public static string Sign(string payload, string secret, long timestamp)
    {
        var signed = string.Create(CultureInfo.InvariantCulture, $"{timestamp}.{payload}");
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(signed));
        return string.Create(CultureInfo.InvariantCulture, $"t={timestamp},v1={Convert.ToHexStringLower(mac)}");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var stripeEvent in _events.Reader.ReadAllAsync(stoppingToken))
            {
                foreach (var endpoint in Endpoints())
                {
                    var payload = stripeEvent.DeepClone().AsObject();
                    if (endpoint.ApiVersion is not null)
                    {
                        payload["api_version"] = endpoint.ApiVersion;
                    }

                    var json = payload.ToJsonString();
                    var copies = Random.Shared.NextDouble() < endpoint.DuplicateRate ? 2 : 1;
                    for (var copy = 0; copy < copies; copy++)
                    {
                        var delay = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * endpoint.MaxDelay.TotalMilliseconds);
                        _ = DeliverAsync(endpoint, json, delay, stoppingToken);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task DeliverAsync(WebhookEndpoint endpoint, string payload, TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, cancellationToken);
            }

            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url)
                    {
                        Content = new StringContent(payload, Encoding.UTF8, "application/json"),
                    };
                    request.Headers.Add("Stripe-Signature", Sign(payload, endpoint.Secret, time.GetUtcNow().ToUnixTimeSeconds()));
                    using var response = await _http.SendAsync(request, cancellationToken);
                    if (response.IsSuccessStatusCode)
                    {
                        return;
                    }

                    LogRejected(endpoint.Url, (int)response.StatusCode, attempt);
                }
                catch (HttpRequestException exception)
                {
                    LogUnreachable(endpoint.Url, exception.Message, attempt);
                }

                if (attempt >= RetryDelays.Length)
                {
                    return;
                }

                await Task.Delay(RetryDelays[attempt], cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook endpoint {Url} answered {Status} (attempt {Attempt})")]
    private partial void LogRejected(Uri url, int status, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook endpoint {Url} unreachable: {Reason} (attempt {Attempt})")]
    private partial void LogUnreachable(Uri url, string reason, int attempt);
}
