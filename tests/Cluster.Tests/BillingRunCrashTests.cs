using System.Diagnostics;
using MedSpa.Tests;
using Xunit.Abstractions;

namespace MedSpa.Cluster.Tests;

/// <summary>
/// Issue 8: a silo killed outright (kill -9) in the middle of the cluster's renewal run (three silo processes, every
/// member due at one instant, one Stripe account). The Stripe account's record is the judge: exactly one successful
/// PaymentIntent per member and period, and no charge attempt left with an unknown outcome.
/// </summary>
public sealed class BillingRunCrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Issue 8's number: about a minute and a half on 2 cores, the move-in of 5,000 members included.</summary>
    private const int MembersForTheKill = 5000;

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
}
