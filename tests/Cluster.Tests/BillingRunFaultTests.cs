using System.Diagnostics;
using MedSpa.StripeEmulator;
using MedSpa.Tests;
using Xunit.Abstractions;

namespace MedSpa.Cluster.Tests;

/// <summary>
/// Issue 8: the cluster's renewal run (three silo processes, every member due at one instant, one Stripe account)
/// under faults: a silo killed outright, Stripe answering 500s, timing out and refusing with 429s. The Stripe account's
/// record is the judge: exactly one successful PaymentIntent per member and period, and no charge attempt left with an
/// unknown outcome. (One class: the two runs are the heaviest cluster tests, and run one after the other.)
/// </summary>
public sealed class BillingRunFaultTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>
    /// Issue 8 asks for 5,000; that run passes (measured on the 2-core machine under load: 414 s to enrol them through
    /// the API, 137 s for the run with the kill), but is too long for every CI run, so CI runs 1,500 of them.
    /// </summary>
    private const int MembersForTheKill = 1500;

    private const int MembersForStripeFaults = 300;
    private const string Charges = "/v1/payment_intents";

    /// <summary>Longer than the <c>Stripe:RequestTimeout</c> of the faults test, so the silo gives up on the answer.</summary>
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
    public async Task A_silo_killed_during_a_renewal_run_of_thousands_leaves_every_member_charged_exactly_once()
    {
        _run = await RenewalCluster.StartAsync(MembersForTheKill, output);

        var clock = Stopwatch.StartNew();
        var run = _run.RunRenewalsAsync();
        var chargedAtKill = await Eventually.Until(_run.RenewalChargesAsync, charged => charged >= MembersForTheKill / 10, TimeSpan.FromMinutes(3),
            "the renewal run to charge a tenth of the members");
        await _run.Silos.KillAsync(2);
        output.WriteLine($"silo 2 killed {clock.Elapsed.TotalSeconds:0}s into the run, {chargedAtKill} renewals charged");
        Assert.True(chargedAtKill < MembersForTheKill, "the run was over before the kill: it proves nothing");

        // Detection (~10 s), the survivors' next recovery sweep (1 min), the rest of the run.
        await _run.WaitUntilAllRenewedAsync(TimeSpan.FromMinutes(4), clock);
        try
        {
            await run;
        }
        catch (Exception e) when (e is Xunit.Sdk.XunitException or HttpRequestException or TaskCanceledException)
        {
            // The advance may die with a silo it was waiting on: the survivors' recovery sweep finishes the run.
            output.WriteLine($"the clock advance through silo 0 did not answer 2xx: {e.Message}");
        }

        await _run.AssertEachChargedOncePerPeriodAsync();
        Assert.All(_run.Silos.Running, silo => Assert.False(silo.HasExited, silo.Output));
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
        var run = _run.RunRenewalsAsync();
        // An attempt whose outcome was unknown is settled on the member's next wake, a minute later (its back-off).
        await _run.WaitUntilAllRenewedAsync(TimeSpan.FromMinutes(4), clock);
        await run;

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
}
