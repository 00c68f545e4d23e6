using System.Diagnostics;
using MedSpa.StripeEmulator;
using Xunit.Abstractions;

namespace MedSpa.Cluster.Tests;

/// <summary>
/// Issue 8: Stripe misbehaving during the cluster's renewal run. Some charges are made but answered with a 500, some
/// take longer than the client waits, some are refused with 429: every member still ends up charged exactly once for
/// the period, because every attempt is settled under its own idempotency key (looked up, or sent again with it).
/// </summary>
public sealed class StripeFaultTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int MembersForStripeFaults = 300;
    private const string Charges = "/v1/payment_intents";

    /// <summary>Longer than the <c>Stripe:RequestTimeout</c> below, so the silo gives up on the answer.</summary>
    private const int SlowerThanTheClientWaitsMs = 12_000;

    private RenewalCluster? _run;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_run is not null)
        {
            await _run.DisposeAsync();
        }
    }

    [Fact]
    public async Task Charges_made_but_answered_500_timeouts_and_429s_during_a_renewal_run_charge_nobody_twice()
    {
        // The client's timeout shorter than production's 30 s, so a timeout costs the test less; not so short that a
        // busy test machine times out ordinary calls.
        _run = await RenewalCluster.StartAsync(MembersForStripeFaults, output, new Dictionary<string, string?> { ["Stripe:RequestTimeout"] = "00:00:08" });
        var rules = new Dictionary<string, FaultRequest>
        {
            ["charged, answered 500"] = new("500_after", Charges, "POST", Rate: 0.15, Count: 30),
            ["429"] = new("429", Charges, "POST", Rate: 0.15, Count: 30),
            ["slower than the client waits"] = new("delay", Charges, "POST", Rate: 0.1, Count: 15, DelayMs: SlowerThanTheClientWaitsMs),
        };
        var ids = new Dictionary<string, string>();
        foreach (var (name, rule) in rules)
        {
            ids[name] = await _run.Stripe.FaultAsync(rule);
        }

        var clock = Stopwatch.StartNew();
        await _run.RunRenewalsAsync();
        // An attempt whose outcome was unknown is settled on the member's next wake, after a minute of the clinic's time
        // (the back-off). The clock moves on a few minutes for it: the sweep would wake them too, but in real time
        // (BillingRunCrashTests waits for it).
        var minutes = 0;
        for (; minutes < 60 && await UnsettledAsync(); minutes += 2)
        {
            await _run.AdvanceClockAsync(TimeSpan.FromMinutes(2));
        }

        output.WriteLine($"the run answered; the clock then moved on {minutes} minutes, {clock.Elapsed.TotalSeconds:0}s into the run");

        await _run.WaitUntilAllRenewedAsync(TimeSpan.FromMinutes(2), clock);

        // Each kind of fault happened during the run: its rule fired at least once (one that fired its count is gone).
        var left = (await _run.Stripe.FaultsAsync()).ToDictionary(r => (string)r["id"]!, r => (int?)r["remaining"]);
        foreach (var (name, id) in ids)
        {
            var remaining = left.GetValueOrDefault(id);
            output.WriteLine($"{name}: fired {rules[name].Count - (remaining ?? 0)} times");
            Assert.True(remaining is null || remaining < rules[name].Count, $"the fault '{name}' never fired");
        }

        await _run.AssertEachChargedOncePerPeriodAsync();
    }

    private async Task<bool> UnsettledAsync() =>
        await _run!.RenewalChargesAsync() < MembersForStripeFaults || await ClusterApi.UnresolvedChargeAttemptsAsync(_run.Database) > 0;
}
