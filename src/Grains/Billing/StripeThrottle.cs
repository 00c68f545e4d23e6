using System.Threading.RateLimiting;

namespace MedSpa.Grains.Billing;

/// <summary>
/// The process-wide budget of Stripe calls: every call waits for a token. One instance per process (a DI
/// singleton); sharing the budget across silos is a follow-up, so each silo should get its share of the rate.
/// </summary>
public sealed class StripeThrottle : IDisposable
{
    private readonly TokenBucketRateLimiter _bucket;

    public StripeThrottle(int perSecond)
    {
        var rate = Math.Max(1, perSecond);
        _bucket = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = rate,
            TokensPerPeriod = rate,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        using var lease = await _bucket.AcquireAsync(1, cancellationToken);
        if (!lease.IsAcquired)
        {
            // Only possible if the queue limit were reached; it is unbounded, so this is a broken invariant.
            throw new InvalidOperationException("The Stripe throttle refused a call.");
        }
    }

    public void Dispose() => _bucket.Dispose();
}
