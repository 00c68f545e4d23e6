namespace MedSpa.StripeEmulator;

public enum IdempotencyDecision
{
    /// <summary>First use of the key: the caller runs the request and must then Complete or Release.</summary>
    Run,

    /// <summary>Same key, same parameters, finished: answer with the stored response.</summary>
    Replay,

    /// <summary>Same key, other parameters: 400 idempotency_error.</summary>
    Mismatch,

    /// <summary>Same key while the first request is still running: 409.</summary>
    InFlight,
}

/// <summary>Stripe's idempotency: keys scoped per API key, first response stored and replayed byte for byte.</summary>
public sealed class IdempotencyStore
{
    private sealed class Entry(string fingerprint)
    {
        public string Fingerprint { get; } = fingerprint;

        public ApiResult? Result { get; set; }
    }

    private readonly Lock _gate = new();
    private readonly Dictionary<(string ApiKey, string Key), Entry> _entries = [];

    public (IdempotencyDecision Decision, ApiResult? Stored) Begin(string apiKey, string key, string fingerprint)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue((apiKey, key), out var entry))
            {
                _entries[(apiKey, key)] = new Entry(fingerprint);
                return (IdempotencyDecision.Run, null);
            }

            if (entry.Fingerprint != fingerprint)
            {
                return (IdempotencyDecision.Mismatch, null);
            }

            return entry.Result is null ? (IdempotencyDecision.InFlight, null) : (IdempotencyDecision.Replay, entry.Result);
        }
    }

    public void Complete(string apiKey, string key, ApiResult result)
    {
        lock (_gate)
        {
            _entries[(apiKey, key)].Result = result;
        }
    }

    /// <summary>The request never started work (validation failed): Stripe keeps nothing, so the key is free again.</summary>
    public void Release(string apiKey, string key)
    {
        lock (_gate)
        {
            _entries.Remove((apiKey, key));
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _entries.Clear();
        }
    }
}
