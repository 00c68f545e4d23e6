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
    private readonly TokenBucketRateLimiter _bucket;
    private readonly int _rate;
    private int _silos = 1;

    public StripeThrottle(int perSecond, bool autoReplenish = true)
    {
        _rate = Math.Max(1, perSecond);
        // Refilled about ten times a second rather than once (the same rate exactly): a whole second's calls let go at
        // once reach Stripe as one clump, and a clump that straddles the account's own one-second window overruns it
        // (429s). A waiting queue is let go a tenth at a time instead.
        var perRefill = Math.Max(1, _rate / 10);
        _bucket = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = _rate,
            TokensPerPeriod = perRefill,
            ReplenishmentPeriod = TimeSpan.FromSeconds((double)perRefill / _rate),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = autoReplenish,
        });
    }

    /// <summary>How many silos share the budget now.</summary>
    public int Silos => Volatile.Read(ref _silos);

    /// <summary>Tokens one call costs: this silo's share of the cluster's rate, never more than a second's worth.</summary>
    public int CostPerCall => Math.Min(Silos, _rate);

    /// <summary>Tokens left in the bucket right now.</summary>
    public long AvailableTokens => _bucket.GetStatistics()?.CurrentAvailablePermits ?? 0;

    public void ShareWith(int activeSilos) => Volatile.Write(ref _silos, Math.Max(1, activeSilos));

    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        using var lease = await _bucket.AcquireAsync(CostPerCall, cancellationToken);
        if (!lease.IsAcquired)
        {
            // Only possible if the queue limit were reached; it is unbounded, so this is a broken invariant.
            throw new InvalidOperationException("The Stripe throttle refused a call.");
        }
    }

    public void Dispose() => _bucket.Dispose();
}
