using MedSpa.Billing;
using MedSpa.Clock;
using MedSpa.Grains.Clock;
using MedSpa.Members;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MedSpa.Grains.Billing;

/// <summary>
/// Walks the due index. A clock advance stops at every due instant on the way to its target and wakes the members due
/// there before moving on, because Orleans computes a reminder's next tick from now and never replays the ticks a jump
/// skipped: without the walk, a month's jump would charge once where it should have retried and suspended.
/// </summary>
public sealed class BillingRunGrain(
    IDueIndex index, IClockCatchUp clockCatchUp, TimeProvider clock, IOptions<StripeOptions> stripe, ILogger<BillingRunGrain> logger)
    : Grain, IBillingRunGrain
{
    private const int BatchSize = 500;
    private const int MinWakesInFlight = 8;

    /// <summary>
    /// A ceiling for accounts whose budget is far above Stripe's live 100 calls a second (the tests' 2,000): more wakes
    /// than this only queue inside the silos, each holding an activation and waiting for a database connection.
    /// </summary>
    private const int MaxWakesInFlight = 256;
    private const int MaxWakeAttempts = 3;

    private DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>
    /// Two seconds' worth of the cluster's Stripe budget. A wake that charges waits out Stripe's answer (a few hundred
    /// milliseconds), and around it activates the member, records the outcome and points its reminder and the due index
    /// on, which under a run's load takes about as long again: with one second's worth in flight, 10,000 renewals
    /// went at 90 calls a second of a 95 budget (eight in flight at 250 ms made 32 a second of a 100/s account). The
    /// Stripe throttle, not this, keeps the calls under the rate.
    /// </summary>
    private int WakesInFlight => Math.Clamp(2 * stripe.Value.RatePerSecond, MinWakesInFlight, MaxWakesInFlight);

    public async Task<BillingRunReport> AdvanceClockToAsync(DateTimeOffset target)
    {
        var clockGrain = GrainFactory.GetGrain<IClockGrain>(IClockGrain.Key);
        var run = new Tally();
        await WakeDueAsync(Now, run);
        while (await index.NextAfterAsync(Now) is { } next && next <= target)
        {
            await MoveClockToAsync(clockGrain, next);
            await clockCatchUp.CatchUpAsync(next);
            run.Steps++;
            await WakeDueAsync(next, run);
        }

        await MoveClockToAsync(clockGrain, target);
        await clockCatchUp.CatchUpAsync(target);

        await WakeDueAsync(Now, run);
        return run.Report(Now);
    }

    /// <summary>Real time keeps flowing under the simulated offset: an instant only just ahead may already be behind.</summary>
    private static async Task MoveClockToAsync(IClockGrain clockGrain, DateTimeOffset instant)
    {
        try
        {
            await clockGrain.AdvanceToAsync(instant);
        }
        catch (CommandRejectedException passed) when (passed.Code == "clock_cannot_go_back")
        {
        }
    }

    public async Task<BillingRunReport> SweepAsync()
    {
        var run = new Tally();
        await WakeDueAsync(Now, run);
        return run.Report(Now);
    }

    /// <summary>
    /// Wakes every member due by <paramref name="instant"/>, a few at a time, until none is left. A member that cannot
    /// finish (the processor is down) moves its own due instant on, so it drops out; one whose wake throws is left
    /// for the next sweep rather than retried in a loop here. The next page of the index is read as soon as the last
    /// member of this one has started, so the Stripe budget never waits for a page's slowest charges to finish.
    /// </summary>
    private async Task WakeDueAsync(DateTimeOffset instant, Tally run)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var inFlight = new List<Task>();
        using var gate = new SemaphoreSlim(WakesInFlight);
        while (true)
        {
            var due = (await index.DueByAsync(instant, BatchSize + seen.Count)).Where(seen.Add).ToList();
            if (due.Count == 0)
            {
                if (inFlight.Count == 0)
                {
                    return;
                }

                // Whoever is still being woken may leave the index only when done: read it again after them.
                await Task.WhenAll(inFlight);
                inFlight.Clear();
                continue;
            }

            foreach (var memberId in due)
            {
                await gate.WaitAsync();
                inFlight.Add(WakeCountedAsync(memberId, instant, run, gate));
            }

            inFlight.RemoveAll(wake => wake.IsCompleted);
        }
    }

    private async Task WakeCountedAsync(string memberId, DateTimeOffset instant, Tally run, SemaphoreSlim gate)
    {
        try
        {
            await WakeAsync(memberId, instant);
            run.Woken++;
        }
        catch (Exception ex)
        {
            run.Failed++;
            logger.LogWarning(ex, "Could not wake {MemberId} for its due billing work; the next sweep will retry", memberId);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// A member that lost a race with another writer (409 <c>concurrent_update</c>) recorded nothing and is asked again at
    /// once: the conflict is over by then, and leaving it for the sweep would hold its billing back a minute.
    /// </summary>
    private async Task WakeAsync(string memberId, DateTimeOffset instant)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await GrainFactory.GetGrain<IMemberGrain>(memberId).WakeAsync(instant);
                return;
            }
            catch (CommandRejectedException conflict) when (conflict.Code == "concurrent_update" && attempt < MaxWakeAttempts)
            {
            }
        }
    }

    /// <summary>Counts kept on the grain's single thread: every continuation of a wake returns to it.</summary>
    private sealed class Tally
    {
        public int Steps { get; set; }

        public int Woken { get; set; }

        public int Failed { get; set; }

        public BillingRunReport Report(DateTimeOffset now) => new(now, Steps, Woken, Failed);
    }
}
