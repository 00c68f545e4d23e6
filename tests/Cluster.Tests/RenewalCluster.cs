using System.Diagnostics;
using System.Text;
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
    private const int CustomersInFlight = 16;

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

    /// <summary>
    /// Starts the cluster and moves <paramref name="members"/> card-paying members in, all due at one instant.
    /// <paramref name="settings"/> go to every silo.
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
            await run.MoveInAsync(members);
        }
        catch
        {
            await run.DisposeAsync();
            throw;
        }

        return run;
    }

    /// <summary>
    /// The practice moves <paramref name="count"/> members in from its spreadsheet (the member import, one file through
    /// silo 0), each with a Stripe customer and card and the same billing day: all of them are due at 9:00 on the day
    /// after the import, and none has been charged by MedSpa yet. Their grains are cold when the run starts, as a
    /// month after enrolment. (Enrolling them one by one through the API took two minutes of the two cores for 5,000.)
    /// </summary>
    private async Task MoveInAsync(int count)
    {
        using var admin = Silos[0].AdminClient();
        admin.Timeout = TimeSpan.FromMinutes(5);
        await Clinic.OpenAsync(admin);
        // The import at 5:00 on the day before the billing day, so the billing day's 9:00 is the members' first charge.
        var importDay = (await TodayAsync(admin)).AddDays(1);
        var billingDay = importDay.AddDays(1);
        await AdvanceClockToAsync(admin, At(importDay, new TimeOnly(5, 0)));

        var clock = Stopwatch.StartNew();
        var rows = new string[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = CustomersInFlight }, async (i, _) =>
        {
            var email = $"member{i}@example.com";
            var (customer, card) = await Stripe.CustomerWithCardAsync(email);
            rows[i] = $"Member,No{i},{email},Test Clinic,Premium,{billingDay.AddMonths(-3):yyyy-MM-dd},{billingDay.Day},active,{customer},{card}";
        });
        var csv = "first name,last name,email,home location,plan,membership start date,billing day,status,stripe customer id,payment method id\n"
            + string.Join('\n', rows);

        using var file = new StringContent(csv, Encoding.UTF8, "text/csv");
        var dryRun = await ReadOkAsync(await admin.PostAsync(new Uri("/api/v1/import/dry-run", UriKind.Relative), file));
        Assert.Equal(count, dryRun.GetProperty("toCreate").GetInt32());
        Members = [.. dryRun.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("memberId").GetString()!)];
        var confirmed = await PostOkAsync(admin, $"/api/v1/import/{dryRun.GetProperty("importId").GetString()}/confirm", new { });
        Assert.Equal(count, confirmed.GetProperty("created").GetInt32());
        _output.WriteLine($"{count} members moved in with their Stripe cards in {clock.Elapsed.TotalSeconds:0}s");

        RenewalAt = ChargeInstant(billingDay);
        Assert.Equal(billingDay, await NextBillingDateAsync(admin, Members[0]));
        Assert.Equal(0, await Stripe.PaymentIntentCountAsync());
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

    /// <summary>Moves the clock on by <paramref name="by"/> through silo 0, running the billing that falls due on the way.</summary>
    public async Task AdvanceClockAsync(TimeSpan by)
    {
        using var runner = Silos[0].AdminClient();
        runner.Timeout = TimeSpan.FromMinutes(10);
        await AdvanceClockToAsync(runner, await NowAsync(runner) + by);
    }

    /// <summary>Renewal PaymentIntents the account holds so far, whatever their status (the import charged nobody).</summary>
    public Task<int> RenewalChargesAsync() => Stripe.PaymentIntentCountAsync();

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
            .Where(g => g.Any())
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

    /// <summary>The account holds, for every member, one succeeded PaymentIntent for the renewal, and nothing else.</summary>
    public async Task AssertEachChargedOncePerPeriodAsync()
    {
        var intents = await Stripe.PaymentIntentsAsync();
        var byMember = intents.ToLookup(pi => (string?)pi["metadata"]?["member_id"]);
        var wrong = new List<string>();
        foreach (var member in Members)
        {
            var mine = byMember[member].ToList();
            if (mine.Count != 1 || (string?)mine[0]["status"] != "succeeded")
            {
                wrong.Add($"{member}: {string.Join(", ", mine.Select(Describe))}");
            }
        }

        Assert.True(wrong.Count == 0, $"{wrong.Count} members not charged exactly once per period:\n{string.Join('\n', wrong.Take(20))}");
        Assert.Equal(Members.Count, intents.Count);
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
