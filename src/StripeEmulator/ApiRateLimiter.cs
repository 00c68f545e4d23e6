using System.Threading.RateLimiting;

namespace MedSpa.StripeEmulator;

/// <summary>Stripe's per-account request budget (25 operations/s in test mode by default). Zero or less: unlimited.</summary>
public sealed class ApiRateLimiter : IDisposable
{
    private TokenBucketRateLimiter? _limiter;

    public ApiRateLimiter(int perSecond) => Configure(perSecond);

    public int PerSecond { get; private set; }

    public void Configure(int perSecond)
    {
        var next = perSecond <= 0
            ? null
            : new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = perSecond,
                TokensPerPeriod = perSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        PerSecond = perSecond;
        Interlocked.Exchange(ref _limiter, next)?.Dispose();
    }

    public bool TryAcquire()
    {
        var limiter = Volatile.Read(ref _limiter);
        if (limiter is null)
        {
            return true;
        }

        try
        {
            using var lease = limiter.AttemptAcquire();
            return lease.IsAcquired;
        }
        catch (ObjectDisposedException)
        {
            // Reconfigured under our feet: let this one through rather than fail it for the emulator's sake.
            return true;
        }
    }

    public void Dispose() => Interlocked.Exchange(ref _limiter, null)?.Dispose();
}
