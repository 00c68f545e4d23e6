using System.Diagnostics;
using System.Text.Json.Nodes;
using MedSpa.Tests;
using Xunit.Abstractions;
using static MedSpa.Cluster.Tests.ClusterApi;

namespace MedSpa.Cluster.Tests;

/// <summary>
/// Three silo processes on a fresh database, all charging one Stripe account (an emulator in the test process), and
/// a practice whose members all renew at one instant: the set-up of a billing run under faults.
/// </summary>
internal sealed class RenewalCluster : IAsyncDisposable
{
    private const int EnrolmentsInFlight = 48;

    private readonly ITestOutputHelper _output;

    private RenewalCluster(TestDatabase database, StripeAccount stripe, ITestOutputHelper output)
    {
        Database = database;
        Stripe = stripe;
        _output = output;
    }

    public TestDatabase Database { get; }

    public StripeAccount Stripe { get; }

    public SiloCluster Silos { get; private set; } = null!;

    public IReadOnlyList<string> Members { get; private set; } = [];

    /// <summary>When every member's renewal is due (9:00 in the clinic, a month after they joined).</summary>
    public DateTimeOffset RenewalAt { get; private set; }

    /// <summary>PaymentIntents of the enrolments, one per member, before any renewal.</summary>
    public int EnrolmentCharges { get; private set; }

    /// <summary>
    /// Starts the cluster and enrols <paramref name="members"/> members on a card through the API, spread over the
    /// silos as a load balancer would, all on one clinic day. <paramref name="settings"/> go to every silo.
    /// </summary>
    public static async Task<RenewalCluster> StartAsync(int members, ITestOutputHelper output, IDictionary<string, string?>? settings = null)
    {
        var run = new RenewalCluster(await TestDatabase.CreateAsync(), await StripeAccount.StartAsync(), output);
        try
        {
            // The product's own throttle is under test here, not Stripe's test-mode 25 calls a second.
            var all = run.Stripe.SiloSettings(clusterRatePerSecond: 2000);
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                all[key] = value;
            }

            run.Silos = await SiloCluster.StartAsync(run.Database.ConnectionString, 3, all);
            await run.EnrolAsync(members);
        }
        catch
        {
            await run.DisposeAsync();
            throw;
        }

        return run;
    }

    private async Task EnrolAsync(int count)
    {
        using var admin = Silos[0].AdminClient();
        var clinic = await Clinic.OpenAsync(admin);
        // Everyone joins at noon on one clinic day (the enrolment cannot run past midnight): one renewal instant for all.
        await AdvanceClockToAsync(admin, At((await TodayAsync(admin)).AddDays(1), new TimeOnly(12, 0)));

        var clients = Silos.Running.Select(s => s.AdminClient()).ToArray();
        var clock = Stopwatch.StartNew();
        try
        {
            var ids = new string[count];
            await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = EnrolmentsInFlight }, async (i, _) =>
                ids[i] = await CardMemberAsync(clients[i % clients.Length], clinic, "Member", $"No{i}"));
            Members = ids;
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }

        _output.WriteLine($"{count} members enrolled through the API in {clock.Elapsed.TotalSeconds:0}s ({count / clock.Elapsed.TotalSeconds:0.0}/s)");
        RenewalAt = ChargeInstant(await NextBillingDateAsync(admin, Members[0]));
        EnrolmentCharges = (await Stripe.PaymentIntentsAsync()).Count;
        Assert.Equal(count, EnrolmentCharges);
    }

    /// <summary>
    /// Moves the clock past the renewal instant through silo 0, in the background: the advance runs the billing and
    /// answers when it is done, so it is the caller's to await (or to see fail, if its silo dies).
    /// </summary>
    public async Task RunRenewalsAsync()
    {
        using var runner = Silos[0].AdminClient();
        runner.Timeout = TimeSpan.FromMinutes(10);
        await AdvanceClockToAsync(runner, RenewalAt.AddMinutes(1));
    }

    /// <summary>Renewal PaymentIntents the account holds so far, whatever their status.</summary>
    public async Task<int> RenewalChargesAsync() => await Stripe.PaymentIntentCountAsync() - EnrolmentCharges;

    /// <summary>Waits (up to <paramref name="within"/>) until every member has a renewal charge and no attempt is left unresolved.</summary>
    public async Task WaitUntilAllRenewedAsync(TimeSpan within, Stopwatch since)
    {
        var deadline = Stopwatch.StartNew();
        try
        {
            var charged = await Eventually.Until(RenewalChargesAsync, count => count >= Members.Count, within, "every member's renewal to be charged");
            _output.WriteLine($"{charged} renewals charged {since.Elapsed.TotalSeconds:0}s into the run");
            await Eventually.Until(() => UnresolvedChargeAttemptsAsync(Database), open => open == 0, within - deadline.Elapsed,
                "every charge attempt to be resolved");
            _output.WriteLine($"every charge attempt resolved {since.Elapsed.TotalSeconds:0}s into the run");
        }
        catch (TimeoutException)
        {
            await DescribeTheLeftBehindAsync();
            throw;
        }
    }

    /// <summary>For a failure message: who has no renewal charge yet, what their log and the due index say, and what the silos said last.</summary>
    private async Task DescribeTheLeftBehindAsync()
    {
        var renewed = (await Stripe.PaymentIntentsAsync())
            .GroupBy(pi => (string?)pi["metadata"]?["member_id"])
            .Where(g => g.Count() >= 2)
            .Select(g => g.Key)
            .ToHashSet(StringComparer.Ordinal);
        var left = Members.Where(m => !renewed.Contains(m)).ToList();
        _output.WriteLine($"{left.Count} members without a renewal charge; the first of them:");
        foreach (var member in left.Take(5))
        {
            var due = await Database.ScalarAsync<DateTime?>($"SELECT due_at FROM member_due WHERE member_id = '{member}'");
            var log = await Database.ScalarAsync<string>(
                $"SELECT string_agg(event_type, ', ' ORDER BY seq) FROM (SELECT * FROM member_events WHERE member_id = '{member}' ORDER BY seq DESC LIMIT 8) e");
            _output.WriteLine($"  {member}: due {due:O}; last events {log}");
        }

        _output.WriteLine($"due index entries due by the renewal: {await Database.ScalarAsync<long>(
            $"SELECT count(*) FROM member_due WHERE due_at <= '{RenewalAt.UtcDateTime:O}'")}");
        _output.WriteLine(Silos.Output);
    }

    /// <summary>The account holds, for every member, one succeeded PaymentIntent for the enrolment and one for the renewal, and nothing else.</summary>
    public async Task AssertEachChargedOncePerPeriodAsync()
    {
        var intents = await Stripe.PaymentIntentsAsync();
        var byMember = intents.ToLookup(pi => (string?)pi["metadata"]?["member_id"]);
        var wrong = new List<string>();
        foreach (var member in Members)
        {
            var mine = byMember[member].ToList();
            var perPeriod = mine.GroupBy(pi => (string?)pi["description"]).ToList();
            if (perPeriod.Count != 2 || perPeriod.Any(p => p.Count() != 1 || (string?)p.Single()["status"] != "succeeded"))
            {
                wrong.Add($"{member}: {string.Join(", ", mine.Select(Describe))}");
            }
        }

        Assert.True(wrong.Count == 0, $"{wrong.Count} members not charged exactly once per period:\n{string.Join('\n', wrong.Take(20))}");
        Assert.Equal(Members.Count * 2, intents.Count);
        Assert.Equal(0, await UnresolvedChargeAttemptsAsync(Database));
    }

    private static string Describe(JsonObject intent) => $"{intent["id"]} '{intent["description"]}' {intent["status"]}";

    public async ValueTask DisposeAsync()
    {
        if (Silos is not null)
        {
            await Silos.DisposeAsync();
        }

        await Stripe.DisposeAsync();
        await Database.DisposeAsync();
    }
}
