using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MedSpa.Domain.Billing;
using MedSpa.Tests;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MedSpa.Web.Tests;

/// <summary>
/// A practice moving in with a 2,000-row spreadsheet that grew by hand: mixed date forms, stray spaces, header variants,
/// duplicate emails, unknown plans, bad emails, billing day 0, wrong prices, ambiguous dates, an unknown location, and
/// Stripe customers some of whose cards are real (made in the emulator first) and some not. The dry run's report is
/// checked row by row against what the generator meant and writes nothing; confirming creates exactly the good rows,
/// and the same file again creates nothing. Then a month passes: each active member with a card is charged once, on
/// their own billing day; paused, cancelled and card-less members are not charged at all; and every imported balance
/// keeps the ledger's conservation.
/// </summary>
public sealed class ImportTests(ClinicFixture fixture) : IClassFixture<ClinicFixture>
{
    private const int Rows = 2_000;
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private readonly HttpClient _admin = LongClient(fixture.Silo);

    private enum Kind
    {
        Card,
        BogusCard,
        Active,
        Paused,
        Cancelled,
        Duplicate,
        UnknownPlan,
        BadEmail,
        BillingDayZero,
        WrongPrice,
        AmbiguousDate,
        UnknownLocation,
    }

    private sealed record Intended(int Line, Kind Kind, string Email, int BillingDay, DateOnly? PausedUntil, long Neurotoxin, long Facial)
    {
        public bool Good => Kind is Kind.Card or Kind.BogusCard or Kind.Active or Kind.Paused or Kind.Cancelled;

        public string Code => Kind switch
        {
            Kind.Duplicate => "duplicate_member",
            Kind.UnknownPlan => "unknown_plan",
            Kind.BadEmail => "invalid_email",
            Kind.BillingDayZero => "invalid_billing_day",
            Kind.WrongPrice => "price_differs_from_plan",
            Kind.AmbiguousDate => "invalid_date",
            Kind.UnknownLocation => "unknown_location",
            _ => "",
        };
    }

    [Fact]
    public async Task A_messy_two_thousand_row_file_imports_exactly_its_good_rows_once_and_a_month_bills_each_member_once_on_their_own_day()
    {
        // Import day D starts before the 09:00 charge time, so the members whose billing day it is are charged at 09:00 as usual.
        var now = (await _admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/clock")).GetProperty("now").GetDateTimeOffset();
        var importDay = BillingCalendar.LocalDate(now, NewYork).AddDays(1);
        await _admin.AdvanceClockToAsync(BillingCalendar.LocalInstant(importDay.ToDateTime(new TimeOnly(5, 0)), NewYork));

        using var stripe = new StripeCustomers(fixture.Silo.StripeEmulator);
        var (csv, intended) = await GenerateAsync(importDay, stripe);
        var good = intended.Where(i => i.Good).ToList();
        Assert.InRange(good.Count, 1_500, 1_700);

        // The dry run: every row as the generator meant it, and nothing written.
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM member_events"));
        var report = await DryRunAsync(csv);
        Assert.Equal((good.Count, 0, Rows - good.Count, 0),
            (report.GetProperty("toCreate").GetInt32(), report.GetProperty("alreadyImported").GetInt32(), report.GetProperty("errors").GetInt32(), report.GetProperty("created").GetInt32()));
        var rows = report.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(intended.Select(i => i.Line), rows.Select(r => r.GetProperty("line").GetInt32()));
        var memberIds = new Dictionary<int, string>();
        foreach (var (want, row) in intended.Zip(rows))
        {
            var problems = row.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("code").GetString()).ToList();
            var warnings = row.GetProperty("warnings").EnumerateArray().Select(p => p.GetProperty("code").GetString()).ToList();
            var what = $"line {want.Line} ({want.Kind}): {row}";
            if (!want.Good)
            {
                Assert.True(row.GetProperty("outcome").GetString() == "error" && problems.SequenceEqual([want.Code]), what);
                continue;
            }

            Assert.True(row.GetProperty("outcome").GetString() == "create" && problems.Count == 0, what);
            Assert.True(warnings.SequenceEqual(want.Kind is Kind.Card or Kind.Cancelled ? [] : ["needs_card"]), what);
            DateOnly? next = want.Kind switch
            {
                Kind.Cancelled => null,
                Kind.Paused => want.PausedUntil,
                _ => BillingCalendar.NextBillingDate(want.BillingDay, importDay.AddDays(-1)),
            };
            Assert.True(next?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) == (row.GetProperty("nextBillingDate").ValueKind == JsonValueKind.Null ? null : row.GetProperty("nextBillingDate").GetString()), what);
            memberIds[want.Line] = row.GetProperty("memberId").GetString()!;
        }

        Assert.Equal(0, await CountAsync("SELECT count(*) FROM member_events"));

        // Confirming creates exactly the good rows, nobody charged.
        var importId = report.GetProperty("importId").GetString();
        var confirmed = await _admin.PostOkAsync($"/api/v1/import/{importId}/confirm", new { });
        Assert.Equal((0, good.Count, Rows - good.Count), (confirmed.GetProperty("toCreate").GetInt32(), confirmed.GetProperty("created").GetInt32(), confirmed.GetProperty("errors").GetInt32()));
        Assert.Equal(good.Count, await CountAsync("SELECT count(DISTINCT member_id) FROM member_events"));
        Assert.Equal(good.Count, await CountAsync("SELECT count(*) FROM member_events WHERE event_type = 'member_imported'"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM member_events WHERE event_type = 'charge_attempted'"));
        Assert.Equal(good.Count(g => g.Kind == Kind.Card), await CountAsync("SELECT count(*) FROM member_events WHERE event_type = 'card_on_file_saved'"));
        Assert.Equal(
            good.Where(g => g.Kind is not (Kind.Card or Kind.Cancelled)).Select(g => memberIds[g.Line]).Order(StringComparer.Ordinal),
            confirmed.GetProperty("needsCard").EnumerateArray().Select(r => r.GetProperty("memberId").GetString()!).Order(StringComparer.Ordinal));

        // The same file again: everything already imported or still wrong, and confirming writes nothing.
        const string written = "SELECT count(*) FROM member_events WHERE event_type IN ('client_registered', 'member_imported', 'credits_adjusted', 'card_on_file_saved')";
        var before = await CountAsync(written);
        var again = await DryRunAsync(csv);
        Assert.Equal(importId, again.GetProperty("importId").GetString());
        Assert.Equal((0, good.Count, Rows - good.Count), (again.GetProperty("toCreate").GetInt32(), again.GetProperty("alreadyImported").GetInt32(), again.GetProperty("errors").GetInt32()));
        var twice = await _admin.PostOkAsync($"/api/v1/import/{importId}/confirm", new { });
        Assert.Equal(0, twice.GetProperty("created").GetInt32());
        Assert.Equal(before, await CountAsync(written));
        Assert.Equal(good.Count, await CountAsync("SELECT count(DISTINCT member_id) FROM member_events"));

        // One month: up to just before the import day's date comes round again, so every billing day falls once.
        await _admin.AdvanceClockToAsync(BillingCalendar.ChargeInstant(importDay.AddMonths(1), NewYork).AddMinutes(-1));

        var attempts = await ChargeAttemptsAsync();
        var intents = await stripe.SucceededIntentsByMemberAsync();
        foreach (var want in good)
        {
            var id = memberIds[want.Line];
            var charged = attempts.GetValueOrDefault(id, []);
            if (want.Kind == Kind.Card)
            {
                var billingDate = BillingCalendar.NextBillingDate(want.BillingDay, importDay.AddDays(-1));
                var attempt = Assert.Single(charged);
                Assert.Equal((billingDate, billingDate), (attempt.PeriodStart, BillingCalendar.LocalDate(attempt.At, NewYork)));
                Assert.Equal(1, intents.GetValueOrDefault(id));
            }
            else
            {
                Assert.True(charged.Count == 0 && intents.GetValueOrDefault(id) == 0, $"line {want.Line} ({want.Kind}) was charged");
            }
        }

        // Opening balances: import adjustments, and allocated + adjusted = redeemed + expired + balance for each.
        foreach (var want in good.Where(g => g.Neurotoxin + g.Facial > 0))
        {
            var credits = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{memberIds[want.Line]}/credits");
            foreach (var balance in credits.GetProperty("balances").EnumerateArray())
            {
                long Figure(string name) => balance.GetProperty(name).GetInt64();
                Assert.Equal(Figure("allocated") + Figure("adjusted"), Figure("redeemed") + Figure("expired") + Figure("balance"));
                var key = balance.GetProperty("benefitKey").GetString();
                Assert.Equal(key == Clinic.NeurotoxinKey ? want.Neurotoxin : want.Facial, Figure("adjusted"));
            }
        }

        Assert.Equal(
            good.Sum(g => (g.Neurotoxin > 0 ? 1 : 0) + (g.Facial > 0 ? 1 : 0)),
            await CountAsync("SELECT count(*) FROM member_events WHERE event_type = 'credits_adjusted' AND payload->>'reason' = 'import'"));
    }

    private async Task<JsonElement> DryRunAsync(string csv)
    {
        var response = await _admin.PostAsync("/api/v1/import/dry-run", new StringContent(csv, Encoding.UTF8, "text/csv"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>
    /// The file, and what each line is meant to become. Seeded, so every run writes the same file; the Stripe customers
    /// are made in the emulator first, each card either attached to its customer or wrong in one of the ways a
    /// spreadsheet gets it wrong (a test token never attached, another customer's card).
    /// </summary>
    private async Task<(string Csv, List<Intended> Intended)> GenerateAsync(DateOnly today, StripeCustomers stripe)
    {
        var random = new Random(20_261_125);
        var kinds = new List<Kind>();
        void Add(Kind kind, int count) => kinds.AddRange(Enumerable.Repeat(kind, count));
        Add(Kind.Card, 60);
        Add(Kind.BogusCard, 20);
        Add(Kind.Duplicate, 60);
        foreach (var error in new[] { Kind.UnknownPlan, Kind.BadEmail, Kind.BillingDayZero, Kind.WrongPrice, Kind.AmbiguousDate, Kind.UnknownLocation })
        {
            Add(error, 40);
        }

        Add(Kind.Paused, 100);
        Add(Kind.Cancelled, 100);
        Add(Kind.Active, Rows - kinds.Count);
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(kinds));

        var csv = new StringBuilder();
        csv.Append("Full Name, Email Address ,Phone,Home Location,Tier,Monthly Price,Start Date,Next bill day,Status,Paused Until,Stripe Customer ID,Payment Method,")
            .Append("units:neurotoxin,units:neurotoxin expires,dollars:facial,dollars:facial expires,Notes\r\n");
        var intended = new List<Intended>();
        var duplicates = 0;
        string Pad(string text) => random.Next(4) switch { 0 => $" {text}", 1 => $"{text}  ", _ => text };
        string Date(DateOnly date) => random.Next(4) switch
        {
            0 => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            1 => date.ToString("M/d/yyyy", CultureInfo.InvariantCulture),
            2 => date.ToString("d MMM yyyy", CultureInfo.InvariantCulture),
            _ => date.ToString("MMM d, yyyy", CultureInfo.InvariantCulture),
        };

        for (var i = 0; i < Rows; i++)
        {
            var line = i + 2;
            var kind = kinds[i];
            // Duplicates come in pairs: the second of a pair repeats the first's address in other case and spacing.
            var email = kind == Kind.Duplicate ? $"twin{duplicates++ / 2}@example.com" : $"member{line}@example.com";
            var written = kind == Kind.BadEmail ? $"member{line}.example.com" : duplicates % 2 == 0 && kind == Kind.Duplicate ? email.ToUpperInvariant() : email;
            var since = today.AddDays(-random.Next(40, 900));
            var billingDay = random.Next(5) == 0 ? random.Next(1, 32) : since.Day;
            var dayCell = kind == Kind.BillingDayZero ? "0" : billingDay == since.Day && random.Next(2) == 0 ? "" : random.Next(3) == 0 ? Ordinal(billingDay) : billingDay.ToString(CultureInfo.InvariantCulture);
            var status = kind switch
            {
                Kind.Paused => random.Next(2) == 0 ? "paused" : "Paused",
                Kind.Cancelled => random.Next(2) == 0 ? "cancelled" : "Canceled",
                _ => new[] { "active", "Active", "" }[random.Next(3)],
            };
            DateOnly? pausedUntil = kind == Kind.Paused ? today.AddDays(random.Next(40, 80)) : null;
            var withCredits = kind != Kind.Cancelled && random.Next(3) == 0;
            var neurotoxin = withCredits ? random.Next(0, 4) : 0;
            var facial = withCredits ? random.Next(0, 9) * 500 : 0;
            var (customer, card) = kind switch
            {
                Kind.Card => await stripe.CustomerWithCardAsync(email),
                Kind.BogusCard => random.Next(2) == 0 ? (await stripe.CustomerAsync(email), "pm_card_visa") : ((await stripe.CustomerAsync(email)), (await stripe.CustomerWithCardAsync($"other.{email}")).Card),
                _ => ("", ""),
            };
            var cells = new[]
            {
                $"Member{line} {(random.Next(2) == 0 ? "Smith" : "van der Berg")}",
                written,
                random.Next(4) == 0 ? "" : $"+1 212 555 {line % 10_000:0000}",
                kind == Kind.UnknownLocation ? "Uptown" : new[] { "Test Clinic", "test clinic", fixture.Clinic.LocationId }[random.Next(3)],
                kind == Kind.UnknownPlan ? "Gold" : new[] { "Premium", "premium", "PREMIUM" }[random.Next(3)],
                kind == Kind.WrongPrice ? "$189.00" : new[] { "", "199", "$199.00", "199.00" }[random.Next(4)],
                kind == Kind.AmbiguousDate ? since.ToString("M/d/yy", CultureInfo.InvariantCulture) : Date(since),
                dayCell,
                status,
                pausedUntil is { } until ? Date(until) : "",
                customer,
                card,
                neurotoxin > 0 ? neurotoxin.ToString(CultureInfo.InvariantCulture) : "",
                "",
                facial > 0 ? $"${facial / 100m:0.00}" : "",
                facial > 0 ? Date(today.AddDays(random.Next(10, 60))) : "",
                random.Next(10) == 0 ? "prefers mornings, \"VIP\"" : "",
            };
            csv.AppendJoin(',', cells.Select(c => Quote(Pad(c)))).Append("\r\n");
            intended.Add(new Intended(line, kind, email, billingDay, pausedUntil, neurotoxin, facial));
        }

        return (csv.ToString(), intended);
    }

    private static string Ordinal(int day) => day + (day % 100 is 11 or 12 or 13 ? "th" : (day % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" });

    private static string Quote(string cell) => cell.IndexOfAny([',', '"']) >= 0 ? $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : cell;

    private sealed record Attempt(DateOnly PeriodStart, DateTimeOffset At);

    private async Task<Dictionary<string, List<Attempt>>> ChargeAttemptsAsync()
    {
        var attempts = new Dictionary<string, List<Attempt>>(StringComparer.Ordinal);
        await using var command = fixture.Silo.Services.GetRequiredService<NpgsqlDataSource>()
            .CreateCommand("SELECT member_id, payload->>'periodStart', occurred_at FROM member_events WHERE event_type = 'charge_attempted'");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var id = reader.GetString(0);
            attempts.TryAdd(id, []);
            attempts[id].Add(new Attempt(DateOnly.Parse(reader.GetString(1), CultureInfo.InvariantCulture), reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return attempts;
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var command = fixture.Silo.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>An administrator's client that waits for a month of billing to run.</summary>
    private static HttpClient LongClient(TestSilo silo)
    {
        var client = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestSilo.AdminKey);
        return client;
    }

    /// <summary>The practice's existing Stripe account, in the emulator: customers and their cards, made before the import.</summary>
    private sealed class StripeCustomers(Uri emulator) : IDisposable
    {
        private readonly HttpClient _http = new() { BaseAddress = emulator, DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", "sk_test_emulator") } };

        public async Task<string> CustomerAsync(string email) =>
            (await PostAsync("/v1/customers", new Dictionary<string, string> { ["email"] = email })).GetProperty("id").GetString()!;

        public async Task<(string Customer, string Card)> CustomerWithCardAsync(string email)
        {
            var customer = await CustomerAsync(email);
            var card = await PostAsync("/v1/payment_methods/pm_card_visa/attach", new Dictionary<string, string> { ["customer"] = customer });
            return (customer, card.GetProperty("id").GetString()!);
        }

        public async Task<Dictionary<string, int>> SucceededIntentsByMemberAsync() =>
            (await _http.GetFromJsonAsync<JsonElement[]>("/_emulator/payment_intents"))!
                .Where(pi => pi.GetProperty("status").GetString() == "succeeded" && pi.TryGetProperty("metadata", out var m) && m.TryGetProperty("member_id", out _))
                .GroupBy(pi => pi.GetProperty("metadata").GetProperty("member_id").GetString()!, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

        /// <summary>Posts, waiting out the emulator's rate limit as Stripe.net would.</summary>
        private async Task<JsonElement> PostAsync(string path, Dictionary<string, string> form)
        {
            for (var attempt = 0; ; attempt++)
            {
                using var response = await _http.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent(form));
                if (response.StatusCode == HttpStatusCode.TooManyRequests && attempt < 20)
                {
                    await Task.Delay(200);
                    continue;
                }

                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.IsSuccessStatusCode, $"{path}: {text}");
                return JsonDocument.Parse(text).RootElement.Clone();
            }
        }

        public void Dispose() => _http.Dispose();
    }
}
