using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MedSpa.Access;
using MedSpa.Export;
using MedSpa.Tests;

namespace MedSpa.Web.Tests;

/// <summary>
/// The practice's records as CSV (issue 9): clients made through the API (enrolled, redeeming, adjusted, paused,
/// cancelling, one never enrolled, one at another location) read back from each file exactly as the member API
/// answers for them; the ledger's quantities add up to its balances; pages join without gaps or repeats; only
/// administrators export, limited staff name their location, and a silo without PostgreSQL refuses with a code.
/// </summary>
public sealed class ExportTests(ClinicFixture fixture) : IClassFixture<ClinicFixture>
{
    private readonly HttpClient _admin = fixture.Silo.AdminClient();
    private Clinic Clinic => fixture.Clinic;

    [Fact]
    public async Task Each_file_reads_back_to_what_the_member_api_says()
    {
        var practice = await PracticeAsync("Readback");

        var members = await CsvAsync("/api/v1/exports/members.csv", "members");
        foreach (var id in practice.All)
        {
            var row = Assert.Single(members, r => r["member_id"] == id);
            var profile = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}");
            var membership = await _admin.MembershipAsync(id);
            Assert.Equal(Text(profile, "firstName"), row["first_name"]);
            Assert.Equal(Text(profile, "lastName"), row["last_name"]);
            Assert.Equal(Text(profile, "email"), row["email"]);
            Assert.Equal(Text(profile, "phone"), row["phone"]);
            Assert.Equal(Text(profile, "homeLocationId"), row["home_location_id"]);
            Assert.Equal(profile.GetProperty("registeredAt").GetDateTimeOffset(), DateTimeOffset.Parse(row["registered_at"], CultureInfo.InvariantCulture));
            Assert.Equal(profile.GetProperty("registeredBy").GetString(), row["registered_by"]);
            Assert.Equal(membership.GetProperty("status").GetString(), row["membership_status"]);
            Assert.Equal(Text(membership, "planName"), row["plan_name"]);
            Assert.Equal(Text(membership, "enrolledOn"), row["member_since"]);
        }

        Assert.Equal("'=Formula", Assert.Single(members, r => r["member_id"] == practice.Elsewhere)["first_name"]);

        var memberships = await CsvAsync("/api/v1/exports/memberships.csv", "memberships");
        Assert.DoesNotContain(memberships, r => r["member_id"] == practice.NeverEnrolled);
        foreach (var id in practice.All.Where(id => id != practice.NeverEnrolled))
        {
            var row = Assert.Single(memberships, r => r["member_id"] == id);
            var membership = await _admin.MembershipAsync(id);
            Assert.Equal(membership.GetProperty("status").GetString(), row["status"]);
            Assert.Equal(Text(membership, "planId"), row["plan_id"]);
            Assert.Equal(Text(membership, "planName"), row["plan_name"]);
            Assert.Equal(membership.GetProperty("planVersion").GetInt32().ToString(CultureInfo.InvariantCulture), row["plan_version"]);
            Assert.Equal(membership.GetProperty("price").GetProperty("amount").GetInt64().ToString(CultureInfo.InvariantCulture), row["monthly_price"]);
            Assert.Equal(membership.GetProperty("price").GetProperty("currency").GetString(), row["currency"]);
            Assert.Equal(membership.GetProperty("anchorDay").GetInt32().ToString(CultureInfo.InvariantCulture), row["anchor_day"]);
            Assert.Equal(Text(membership, "enrolledOn"), row["enrolled_on"]);
            Assert.Equal(Text(membership, "currentPeriodStart"), row["current_period_start"]);
            Assert.Equal(Text(membership, "nextBillingDate"), row["next_billing_date"]);
            Assert.Equal(Text(membership, "termEnd"), row["minimum_term_end"]);
            Assert.Equal(Text(membership, "pausedUntil"), row["paused_until"]);
            Assert.Equal(membership.TryGetProperty("card", out var card) && card.ValueKind == JsonValueKind.Object ? "true" : "false", row["card_on_file"]);
            var pending = membership.TryGetProperty("pendingCancellation", out var p) && p.ValueKind == JsonValueKind.Object ? p : (JsonElement?)null;
            Assert.Equal(pending is { } c ? Text(c, "effectiveOn") : "", row["cancellation_effective_on"]);
            Assert.Equal(pending is { } r ? Text(r, "reason") : "", row["cancellation_reason"]);
        }

        Assert.Equal("paused", Assert.Single(memberships, r => r["member_id"] == practice.Paused)["status"]);
        Assert.NotEqual("", Assert.Single(memberships, r => r["member_id"] == practice.Paused)["paused_until"]);
        Assert.Equal("relocation", Assert.Single(memberships, r => r["member_id"] == practice.Cancelling)["cancellation_reason"]);
        Assert.Equal("true", Assert.Single(memberships, r => r["member_id"] == practice.Redeeming)["card_on_file"]);

        var ledger = await CsvAsync("/api/v1/exports/ledger.csv", "ledger");
        foreach (var id in practice.All)
        {
            var expected = (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/ledger"))!;
            var rows = ledger.Where(r => r["member_id"] == id).ToList();
            Assert.Equal(expected.Length, rows.Count);
            for (var i = 0; i < expected.Length; i++)
            {
                var (entry, row) = (expected[i], rows[i]);
                Assert.Equal(entry.GetProperty("seq").GetInt64().ToString(CultureInfo.InvariantCulture), row["seq"]);
                Assert.Equal(entry.GetProperty("at").GetDateTimeOffset(), DateTimeOffset.Parse(row["at"], CultureInfo.InvariantCulture));
                Assert.Equal(entry.GetProperty("type").GetString(), row["kind"]);
                Assert.Equal(Text(entry, "benefitKey"), row["benefit_key"]);
                Assert.Equal(Text(entry, "lotId"), row["lot_id"]);
                Assert.Equal(entry.GetProperty("change").GetInt64().ToString(CultureInfo.InvariantCulture), row["quantity"]);
                Assert.Equal(entry.GetProperty("balanceAfter").GetInt64().ToString(CultureInfo.InvariantCulture), row["balance_after"]);
                Assert.Equal(Text(entry, "reference"), row["reference"]);
                Assert.Equal(Text(entry, "reason"), row["reason"]);
            }
        }

        var kinds = ledger.Where(r => practice.All.Contains(r["member_id"])).Select(r => r["kind"]).ToHashSet();
        Assert.Superset(new HashSet<string> { "allocated", "redeemed", "voided", "adjusted" }, kinds);

        // Each balance is the sum of its changes, and the last line's balance is the one the credits view reports.
        foreach (var balance in ledger.Where(r => r["benefit_key"].Length > 0).GroupBy(r => (Member: r["member_id"], Benefit: r["benefit_key"])))
        {
            var sum = balance.Sum(r => long.Parse(r["quantity"], CultureInfo.InvariantCulture));
            Assert.Equal(sum.ToString(CultureInfo.InvariantCulture), balance.Last()["balance_after"]);
        }

        var credits = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{practice.Redeeming}/credits");
        var units = ledger.Last(r => r["member_id"] == practice.Redeeming && r["benefit_key"] == Clinic.NeurotoxinKey)["balance_after"];
        Assert.Contains(credits.GetProperty("balances").EnumerateArray(), b =>
            b.GetProperty("benefitKey").GetString() == Clinic.NeurotoxinKey && b.GetProperty("balance").GetInt64().ToString(CultureInfo.InvariantCulture) == units);
    }

    [Fact]
    public async Task A_location_narrows_every_file_to_the_clients_homed_there()
    {
        var practice = await PracticeAsync("Narrow");
        foreach (var file in new[] { "members", "memberships", "ledger" })
        {
            var rows = await CsvAsync($"/api/v1/exports/{file}.csv?location={practice.ElsewhereLocation}", file);
            Assert.NotEmpty(rows);
            Assert.All(rows, r => Assert.Equal(practice.Elsewhere, r["member_id"]));
        }

        var here = await CsvAsync($"/api/v1/exports/members.csv?location={Clinic.LocationId}", "members");
        Assert.DoesNotContain(here, r => r["member_id"] == practice.Elsewhere);
        Assert.Contains(here, r => r["member_id"] == practice.Redeeming);
    }

    [Fact]
    public async Task Pages_join_into_the_whole_without_gaps_or_repeats()
    {
        await PracticeAsync("Pages");
        var export = fixture.Silo.Grains.GetGrain<IExportGrain>(IExportGrain.Key);
        var whole = await export.GetMembersAsync(new ExportRequest(PageSize: 1000));
        Assert.Null(whole.Next);
        Assert.True(whole.Rows.Count >= 5, $"{whole.Rows.Count} clients");

        var paged = new List<ExportedMember>();
        var pages = 0;
        for (string? after = null; ;)
        {
            var page = await export.GetMembersAsync(new ExportRequest(after, PageSize: 2));
            paged.AddRange(page.Rows);
            pages++;
            if (page.Next is not { } next)
            {
                break;
            }

            after = next;
        }

        Assert.Equal(whole.Rows, paged);
        Assert.True(pages >= (whole.Rows.Count + 1) / 2, $"{whole.Rows.Count} clients in {pages} pages");
        Assert.Equal(whole.Rows.Select(r => r.MemberId).Order(StringComparer.Ordinal), paged.Select(r => r.MemberId));

        var refused = await Assert.ThrowsAsync<CommandRejectedException>(() => export.GetLedgerAsync(new ExportRequest(PageSize: 0)));
        Assert.Equal("invalid_page_size", refused.Code);
    }

    [Theory]
    [InlineData("members")]
    [InlineData("memberships")]
    [InlineData("ledger")]
    public async Task Only_administrators_export(string file)
    {
        foreach (var role in new[] { StaffRole.FrontDesk, StaffRole.Provider })
        {
            using var staff = await fixture.Silo.ClientAsync(role);
            var response = await staff.GetAsync($"/api/v1/exports/{file}.csv");
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        using var anonymous = fixture.Silo.AnonymousClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/v1/exports/{file}.csv")).StatusCode);
    }

    [Fact]
    public async Task An_administrator_limited_to_a_location_names_one_of_theirs()
    {
        var elsewhere = (await _admin.PostOkAsync("/api/v1/locations", new { name = $"Limited {Guid.NewGuid():N}", timeZone = "America/Chicago" })).GetProperty("id").GetString()!;
        var login = await fixture.Silo.StaffAccountAsync(StaffRole.Admin, Clinic.LocationId);
        using var limited = await fixture.Silo.SignedInClientAsync(login);

        await ProblemAssert.IsProblem(await limited.GetAsync("/api/v1/exports/members.csv"), HttpStatusCode.BadRequest, "location_required");
        await ProblemAssert.IsProblem(await limited.GetAsync($"/api/v1/exports/ledger.csv?location={elsewhere}"), HttpStatusCode.NotFound, "location_not_found");
        var response = await limited.GetAsync($"/api/v1/exports/members.csv?location={Clinic.LocationId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.All(Rows(await response.Content.ReadAsStringAsync()), r => Assert.Equal(Clinic.LocationId, r["home_location_id"]));
    }

    [Theory]
    [InlineData("members", "location=loc_nowhere")]
    [InlineData("memberships", "location=%00")]
    [InlineData("ledger", "location=loc_nowhere")]
    public async Task An_unknown_location_is_refused_with_a_code(string file, string parameters)
    {
        await ProblemAssert.IsProblem(await _admin.GetAsync($"/api/v1/exports/{file}.csv?{parameters}"), HttpStatusCode.NotFound, "location_not_found");
    }

    [Fact]
    public async Task A_silo_without_postgres_refuses_to_export()
    {
        await using var memory = await TestSilo.StartAsync(null);
        var response = await memory.AdminClient().GetAsync("/api/v1/exports/members.csv");
        await ProblemAssert.IsProblem(response, HttpStatusCode.ServiceUnavailable, "exports_need_postgres");
    }

    /// <summary>Clients with every kind of record, all made through the API; <see cref="Practice.All"/> lists them.</summary>
    private async Task<Practice> PracticeAsync(string name)
    {
        var redeeming = await Clinic.ActiveMemberAsync("Rhea", name);
        await _admin.PostOkAsync($"/api/v1/members/{redeeming}/payment-method", new { paymentMethodId = "pm_card_visa" });
        await _admin.PostOkAsync($"/api/v1/members/{redeeming}/credit-adjustments", new { adjustmentId = $"adj_{name}_1", benefitKey = Clinic.NeurotoxinKey, quantity = 2, reason = "Loyalty gift" });
        await _admin.PostOkAsync($"/api/v1/members/{redeeming}/redemptions", new { redemptionId = $"red_{name}_1", benefitKey = Clinic.NeurotoxinKey, quantity = 2 });
        await _admin.PostOkAsync($"/api/v1/members/{redeeming}/redemptions", new { redemptionId = $"red_{name}_2", benefitKey = Clinic.NeurotoxinKey, quantity = 1 });
        await _admin.PostOkAsync($"/api/v1/members/{redeeming}/redemptions/red_{name}_2/void", new { reason = "Booked in error, \"twice\"" });
        await _admin.PostOkAsync($"/api/v1/members/{redeeming}/credit-adjustments", new { adjustmentId = $"adj_{name}_2", benefitKey = Clinic.NeurotoxinKey, quantity = -1, reason = "-1 correction" });

        var paused = await Clinic.ActiveMemberAsync("Paul", name);
        await _admin.PostOkAsync($"/api/v1/members/{paused}/pause", new { days = 30 });

        var cancelling = await Clinic.ActiveMemberAsync("Cara", name);
        await _admin.PostOkAsync($"/api/v1/members/{cancelling}/cancellation", new { reason = "relocation", confirm = true });

        var neverEnrolled = await Clinic.RegisterAsync("Nina", name);

        var location = (await _admin.PostOkAsync("/api/v1/locations", new { name = $"{name} {Guid.NewGuid():N}", timeZone = "America/Los_Angeles" })).GetProperty("id").GetString()!;
        var elsewhere = (await _admin.PostOkAsync("/api/v1/members", new
        {
            firstName = "=Formula",
            lastName = $"{name}, Jr.",
            email = $"formula.{Guid.NewGuid():N}@example.com",
            phone = "+1 310 555 0100",
            homeLocationId = location,
        })).GetProperty("id").GetString()!;
        await _admin.PostOkAsync($"/api/v1/members/{elsewhere}/enrolment", new { planId = Clinic.PremiumPlanId, agreement = new { signedName = $"=Formula {name}, Jr.", accepted = true } });
        await _admin.PostOkAsync($"/api/v1/members/{elsewhere}/desk-payments", new { paymentId = $"pay_{Guid.NewGuid():N}", method = "cash", amount = Clinic.Usd(Clinic.PremiumPrice) });

        return new Practice(redeeming, paused, cancelling, neverEnrolled, elsewhere, location);
    }

    /// <summary>The file at <paramref name="path"/>, checked to be a CSV download named after <paramref name="file"/>, as rows by column name.</summary>
    private async Task<List<Dictionary<string, string>>> CsvAsync(string path, string file)
    {
        var response = await _admin.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {text}");
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith($"attachment; filename=\"{file}-", response.Content.Headers.ContentDisposition?.ToString() ?? "", StringComparison.Ordinal);
        return Rows(text);
    }

    private static List<Dictionary<string, string>> Rows(string text)
    {
        var csv = ReportApiTests.ParseCsv(text);
        var header = csv[0];
        Assert.All(csv, row => Assert.Equal(header.Count, row.Count));
        return [.. csv.Skip(1).Select(row => header.Zip(row).ToDictionary(c => c.First, c => c.Second))];
    }

    /// <summary>
    /// A JSON value as the CSV writes it: absent and null are empty, anything else its text, with the apostrophe that
    /// keeps a spreadsheet from running text starting like a formula (a phone number's <c>+</c> included).
    /// </summary>
    private static string Text(JsonElement json, string property) =>
        json.TryGetProperty(property, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.ValueKind == JsonValueKind.String ? Guarded(value.GetString()!) : value.GetRawText()
            : "";

    private static string Guarded(string text) => text.Length > 0 && text[0] is '=' or '+' or '-' or '@' ? "'" + text : text;

    private sealed record Practice(string Redeeming, string Paused, string Cancelling, string NeverEnrolled, string Elsewhere, string ElsewhereLocation)
    {
        public IReadOnlyList<string> All => [Redeeming, Paused, Cancelling, NeverEnrolled, Elsewhere];
    }
}

/// <summary>A membership that ended: its cancellation (date, reason, whether the member chose it) comes from the log.</summary>
public sealed class ExportCancellationTests(ClinicFixture fixture) : IClassFixture<ClinicFixture>
{
    private readonly HttpClient _admin = fixture.Silo.AdminClient();

    [Fact]
    public async Task A_membership_cancelled_for_non_payment_exports_its_cancellation()
    {
        // No card on file: two months on, the renewal could not be charged, the member was suspended and then cancelled.
        var id = await fixture.Clinic.ActiveMemberAsync("Una", "Unpaid");
        var now = (await _admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/clock")).GetProperty("now").GetDateTimeOffset();
        await _admin.AdvanceClockToAsync(now.AddMonths(2).AddDays(5));
        Assert.Equal("cancelled", (await _admin.MembershipAsync(id)).GetProperty("status").GetString());
        var cancelled = (await _admin.EventsAsync(id)).Last(e => e.Type == "membership_cancelled").Payload;

        var response = await _admin.GetAsync("/api/v1/exports/memberships.csv");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csv = ReportApiTests.ParseCsv(await response.Content.ReadAsStringAsync());
        var row = csv[0].Zip(Assert.Single(csv, r => r[0] == id)).ToDictionary(c => c.First, c => c.Second);
        Assert.Equal("cancelled", row["status"]);
        Assert.Equal(cancelled.GetProperty("effectiveOn").GetString(), row["cancellation_effective_on"]);
        Assert.Equal(cancelled.GetProperty("reason").GetString(), row["cancellation_reason"]);
        Assert.Equal("true", row["cancellation_involuntary"]);
        Assert.Equal("false", row["card_on_file"]);
    }
}
