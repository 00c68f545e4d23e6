using System.Diagnostics;
using System.Globalization;
using System.Text;
using MedSpa.Tests;

namespace MedSpa.Bench.Cluster;

/// <summary>
/// A billing run of N members due at the same instant against a Stripe account of 100 requests/s answering in 250 ms:
/// Stripe requests per second achieved, counted by the emulator, as a share of the account's limit; 429s as a share of
/// all requests; the run's wall time. Seeded through the API (enrolled with a card, first period charged) on an
/// unlimited emulator; the run itself on a fresh silo process configured as an operator would for that account.
/// </summary>
public static class Billing
{
    public const int AccountRate = 100;
    public static readonly TimeSpan AccountLatency = TimeSpan.FromMilliseconds(250);
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    public static async Task<Figure> RunAsync(BenchOptions options)
    {
        await using var emulator = await CountingEmulator.StartAsync();
        await using var database = await TestDatabase.CreateAsync();
        Dictionary<string, string?> Settings(int throttle) => new()
        {
            ["Stripe:SecretKey"] = "sk_test_bench",
            ["Stripe:ApiBase"] = emulator.BaseAddress.ToString(),
            ["Stripe:RatePerSecond"] = throttle.ToString(CultureInfo.InvariantCulture),
        };

        // Seeding: the emulator unlimited and the product's throttle out of the way, so 10,000 enrolments take minutes, not hours.
        DateOnly billingDate;
        var seeding = Stopwatch.StartNew();
        await using (var seeder = await SiloProcess.StartAsync(database, Settings(100_000)))
        {
            using var admin = Api.PatientAdmin(seeder);
            var clinic = await Clinic.OpenAsync(admin);
            // Everyone enrols on the same clinic day, well inside it, so everyone renews at the same instant.
            var now = (await Api.GetOkAsync(admin, "/api/v1/admin/clock")).GetProperty("now").GetDateTimeOffset();
            var enrolDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, NewYork).Date).AddDays(1);
            await Api.PostOkAsync(admin, "/api/v1/admin/clock/advance", new { to = Local(enrolDay, 10) });

            BenchOptions.Progress($"billing: enrolling {options.BillingMembers:N0} members with a card (emulator unlimited)");
            var ids = new string[options.BillingMembers];
            await Api.ForEachAsync(options.BillingMembers, 16, "enrolled", async i =>
            {
                var id = await clinic.RegisterAsync("Bill", $"Run{i}");
                await Api.PostOkAsync(admin, $"/api/v1/members/{id}/payment-method", new { paymentMethodId = "pm_card_visa" });
                var enrolled = await Api.PostOkAsync(admin, $"/api/v1/members/{id}/enrolment",
                    new { planId = clinic.PremiumPlanId, agreement = new { signedName = $"Bill Run{i}", accepted = true } });
                if (enrolled.GetProperty("status").GetString() != "active")
                {
                    throw new InvalidOperationException($"{id} enrolled as {enrolled}");
                }

                ids[i] = id;
            });

            var dates = new HashSet<string>(StringComparer.Ordinal);
            foreach (var id in new[] { ids[0], ids[^1] })
            {
                dates.Add((await Api.GetOkAsync(admin, $"/api/v1/members/{id}/membership")).GetProperty("nextBillingDate").GetString()!);
            }

            billingDate = dates.Count == 1
                ? DateOnly.Parse(dates.Single(), CultureInfo.InvariantCulture)
                : throw new InvalidOperationException($"The first and last members renew on different days: {string.Join(", ", dates)}");
            // Whatever falls due before the renewals (notices) is done here, outside the measured run.
            await Api.PostOkAsync(admin, "/api/v1/admin/clock/advance", new { to = Local(billingDate, 9).AddMinutes(-10) });
            // ...and delivered: a notice still unsent is handed over again when its member wakes, which would put the
            // seeding's mail inside the measured run (the development mailbox takes one message at a time; so far it
            // has always kept up).
            BenchOptions.Progress("billing: waiting for the seeding's notices to be delivered");
            await Eventually.Until(() => database.ScalarAsync<long>(UnsentNotices), unsent => unsent == 0, TimeSpan.FromMinutes(10), "the seeding's notices to be delivered");
            await seeder.StopAsync();
        }

        seeding.Stop();
        var due = Local(billingDate, 9);
        var throttle = options.OperatorRate;
        BenchOptions.Progress($"billing: seeded in {seeding.Elapsed.TotalSeconds:F0} s; the run: emulator at {CountingEmulator.Describe(AccountRate, AccountLatency)}, product throttle {throttle}/s, renewals due {due:O}");
        emulator.Configure(AccountRate, AccountLatency);
        await using var silo = await SiloProcess.StartAsync(database, Settings(throttle));
        using var runAdmin = Api.PatientAdmin(silo);
        var intentsBefore = emulator.PaymentIntents().Count;
        var loadBefore = Reports.Machine.LoadAverage();
        emulator.ClearLog();
        var start = Stopwatch.GetTimestamp();
        await Api.PostOkAsync(runAdmin, "/api/v1/admin/clock/advance", new { to = due.AddMinutes(1) });
        var end = Stopwatch.GetTimestamp();
        var loadAfter = Reports.Machine.LoadAverage();
        var answers = emulator.Answers.Where(a => a.At >= start && a.At <= end).ToList();

        var wall = Stopwatch.GetElapsedTime(start, end);
        var limited = answers.Count(a => a.Status == 429);
        var served = answers.Count - limited;
        var active = answers.Count > 0 ? Stopwatch.GetElapsedTime(answers.Min(a => a.At), answers.Max(a => a.At)) : TimeSpan.Zero;
        var rate = served / wall.TotalSeconds;
        var ratio = rate / AccountRate;
        var limitedShare = answers.Count == 0 ? 0 : (double)limited / answers.Count;
        var busiest = answers.GroupBy(a => (long)Stopwatch.GetElapsedTime(start, a.At).TotalSeconds).Select(g => g.Count(a => a.Status != 429)).DefaultIfEmpty().Max();

        // The sanity check: every member's card charged exactly twice (enrolment, renewal), never a third time.
        var intents = emulator.PaymentIntents();
        var perCustomer = intents.Where(pi => pi["status"]?.GetValue<string>() == "succeeded")
            .GroupBy(pi => pi["customer"]?.GetValue<string>() ?? "").Select(g => g.Count()).ToList();
        var renewed = perCustomer.Count(n => n == 2);
        var twice = perCustomer.Count(n => n > 2);
        var pass = ratio >= 0.9 && limitedShare < 0.01 && twice == 0 && renewed == options.BillingMembers;

        var s = new StringBuilder();
        void Line(FormattableString text) => s.AppendLine(text.ToString(CultureInfo.InvariantCulture));
        Line($"### Billing run: {options.BillingMembers:N0} members due at once");
        Line($"");
        Line($"Emulator: {CountingEmulator.Describe(AccountRate, AccountLatency)} (`Emulator:RatePerSecond`, `Emulator:Latency`). Product: `Stripe:RatePerSecond` = {throttle}, one silo. Seeding through the API (register, card, enrol with the first period charged) took {seeding.Elapsed.TotalSeconds:F0} s on an unlimited emulator; not timed.");
        Line($"");
        Line($"| | |");
        Line($"|---|---:|");
        Line($"| members due at {due:yyyy-MM-dd HH:mm zzz} | {options.BillingMembers:N0} |");
        Line($"| run wall time (POST /api/v1/admin/clock/advance until it answered) | {wall.TotalSeconds:F1} s |");
        Line($"| Stripe requests answered by the emulator during the run | {answers.Count:N0} |");
        Line($"| of which 429 | {limited:N0} |");
        Line($"| PaymentIntents created during the run | {intents.Count - intentsBefore:N0} |");
        Line($"| first to last request | {active.TotalSeconds:F1} s |");
        Line($"| from the call to the first answer / from the last answer to the call's answer | {(answers.Count > 0 ? Stopwatch.GetElapsedTime(start, answers.Min(a => a.At)).TotalSeconds : 0):F1} s / {(answers.Count > 0 ? Stopwatch.GetElapsedTime(answers.Max(a => a.At), end).TotalSeconds : 0):F1} s |");
        Line($"| busiest second (requests served) | {busiest:N0} |");
        Line($"| **requests/s served over the run's wall time** | **{rate:F1}** |");
        Line($"| **ratio to the account's limit ({AccountRate}/s), target ≥ 0.90** | **{ratio:F2}** |");
        Line($"| **429s / requests, target < 1 %** | **{limitedShare:P2}** |");
        Line($"| members charged exactly twice (enrolment + renewal) | {renewed:N0} of {options.BillingMembers:N0} |");
        Line($"| **members charged more than twice** | **{twice:N0}** |");
        Line($"| load average (1, 5, 15 min) before / after | {loadBefore} / {loadAfter} |");
        Line($"| | {(pass ? "pass" : "**FAIL**")} |");
        return new Figure("billing", s.ToString(), pass);
    }

    /// <summary>Outbox notices (every kind but sign-in links) with no <c>notice_sent</c> for them yet.</summary>
    private const string UnsentNotices =
        "SELECT count(*) FROM member_events i WHERE i.event_type = 'notice_issued' AND i.payload->>'kind' <> 'magic_link' "
        + "AND NOT EXISTS (SELECT 1 FROM member_events s WHERE s.member_id = i.member_id AND s.idempotency_key = 'notice-sent:' || (i.payload->>'noticeId'))";

    private static DateTimeOffset Local(DateOnly day, int hour)
    {
        var local = day.ToDateTime(new TimeOnly(hour, 0));
        return new DateTimeOffset(local, NewYork.GetUtcOffset(local));
    }
}
