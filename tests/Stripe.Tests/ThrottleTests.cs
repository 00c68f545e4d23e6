using MedSpa.Grains.Billing;

namespace MedSpa.Stripe.Tests;

/// <summary>The cluster's Stripe budget as one silo spends it: counted in tokens, not timed.</summary>
public sealed class ThrottleTests
{
    [Fact]
    public async Task Alone_a_call_costs_one_token()
    {
        using var throttle = new StripeThrottle(30, autoReplenish: false);

        await throttle.WaitAsync(CancellationToken.None);

        Assert.Equal(29, throttle.AvailableTokens);
    }

    [Fact]
    public async Task With_three_silos_active_a_call_costs_three_tokens_so_the_three_together_stay_under_the_rate()
    {
        using var throttle = new StripeThrottle(30, autoReplenish: false);
        throttle.ShareWith(3);

        for (var i = 0; i < 10; i++)
        {
            await throttle.WaitAsync(CancellationToken.None);
        }

        Assert.Equal(0, throttle.AvailableTokens);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => throttle.WaitAsync(timeout.Token).AsTask());
    }

    [Fact]
    public async Task A_second_never_holds_more_calls_than_the_rate_so_a_run_that_starts_at_full_budget_never_doubles_it()
    {
        using var throttle = new StripeThrottle(30, autoReplenish: false);
        for (var i = 0; i < 30; i++)
        {
            await throttle.WaitAsync(CancellationToken.None);
        }

        // Nine tenths of a second on, the calls of the first tenth are still in the window: nothing is let go. (The
        // window moves one segment per call, and only once a segment's time has passed: the pause is not measured.)
        for (var segment = 1; segment < StripeThrottle.SegmentsPerSecond; segment++)
        {
            await NextSegmentAsync(throttle);
            Assert.Equal(0, throttle.AvailableTokens);
        }

        // A full second after them, they leave the window and the whole budget is back.
        await NextSegmentAsync(throttle);
        Assert.Equal(30, throttle.AvailableTokens);
    }

    private static async Task NextSegmentAsync(StripeThrottle throttle)
    {
        await Task.Delay(TimeSpan.FromSeconds(1.2 / StripeThrottle.SegmentsPerSecond));
        Assert.True(throttle.Replenish());
    }

    [Fact]
    public void More_silos_than_the_rate_still_lets_each_make_a_call_a_second()
    {
        using var throttle = new StripeThrottle(5, autoReplenish: false);

        throttle.ShareWith(8);

        Assert.Equal(5, throttle.CostPerCall);
    }
}
