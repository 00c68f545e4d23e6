using System.Threading.RateLimiting;

namespace MedSpa.Grains.Billing;

/// <summary>
/// The cluster's budget of Stripe calls, as this silo spends it. The configured rate is the whole cluster's (Stripe
/// counts calls per account, not per server): with N silos active each call here costs N tokens, so this silo makes
/// at most rate ÷ N calls a second and the silos together stay under the rate without asking one another per call.
/// <see cref="StripeBudgetShare"/> keeps N current as silos join and leave.
/// </summary>
public sealed class StripeThrottle : IDisposable
{
    /// <summary>How finely the second is cut: spent calls come back a tenth of a second at a time.</summary>
    public const int SegmentsPerSecond = 10;

    private readonly SlidingWindowRateLimiter _window;
    private readonly int _rate;
    private int _silos = 1;

    public StripeThrottle(int perSecond, bool autoReplenish = true)
    {
        _rate = Math.Max(1, perSecond);
        // A sliding second, not a token bucket: Stripe refuses a second with more than the rate in it, and a bucket lets a
        // full bucket's burst go on top of the second's refill (up to twice the rate in the first second of a billing
        // run, answered with 429s).
        _window = new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
        {
            PermitLimit = _rate,
            Window = TimeSpan.FromSeconds(1),
            SegmentsPerWindow = SegmentsPerSecond,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = autoReplenish,
        });
    }

    /// <summary>How many silos share the budget now.</summary>
    public int Silos => Volatile.Read(ref _silos);

    /// <summary>Tokens one call costs: this silo's share of the cluster's rate, never more than a second's worth.</summary>
    public int CostPerCall => Math.Min(Silos, _rate);

    /// <summary>Tokens left in this second right now.</summary>
    public long AvailableTokens => _window.GetStatistics()?.CurrentAvailablePermits ?? 0;

    public void ShareWith(int activeSilos) => Volatile.Write(ref _silos, Math.Max(1, activeSilos));

    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        using var lease = await _window.AcquireAsync(CostPerCall, cancellationToken);
        if (!lease.IsAcquired)
        {
            // Only possible if the queue limit were reached; it is unbounded, so this is a broken invariant.
            throw new InvalidOperationException("The Stripe throttle refused a call.");
        }
    }

    public void Dispose() => _window.Dispose();

    /// <summary>Moves the window on by one segment if a segment's time has passed, when built without automatic replenishment (tests).</summary>
    public bool Replenish() => _window.TryReplenish();
}
