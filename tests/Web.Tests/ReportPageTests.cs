using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MedSpa.Access;
using MedSpa.Tests;

namespace MedSpa.Web.Tests;

/// <summary>
/// The <c>/reports</c> page over HTTP: the figures the report API gives, in every card with its CSV link; a refused
/// filter shown as a message on the page; other roles refused; and staff limited to a location held to it.
/// </summary>
public sealed partial class ReportPageTests(ClinicFixture fixture) : IClassFixture<ClinicFixture>
{
    private static readonly string[] Tables =
        ["mrr-now", "mrr-months", "active-members", "churn", "churn-reasons", "credits", "revenue", "liability", "at-risk"];

    private readonly HttpClient _admin = fixture.Silo.AdminClient();
    private Clinic Clinic => fixture.Clinic;

    [Fact]
    public async Task The_page_shows_mrr_now_and_every_report_with_its_csv()
    {
        await Clinic.ActiveMemberAsync("Rita", "Reportpage");
        await Clinic.ActiveMemberAsync("Remy", "Reportpage");
        var owner = await fixture.Silo.SignedInClientAsync(await fixture.Silo.StaffAccountAsync(StaffRole.Admin));

        var response = await owner.GetAsync("/reports");
        var html = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, html);
        // MRR now is the API's last month, summed over tiers, written as the desk writes money.
        var api = await _admin.GetFromJsonAsync<JsonElement>("/api/v1/reports/mrr");
        var months = api.GetProperty("months").EnumerateArray().ToList();
        var last = months.Select(m => m.GetProperty("month").GetString()!).Max(StringComparer.Ordinal);
        var mrrNow = months.Where(m => m.GetProperty("month").GetString() == last).Sum(m => m.GetProperty("mrr").GetInt64());
        Assert.True(mrrNow >= 2 * Clinic.PremiumPrice, $"MRR now {mrrNow}");
        Assert.Equal(Amount(mrrNow), Figure().Match(html).Groups["value"].Value);
        Assert.Matches($"<tr data-plan=\"{Clinic.PremiumPlanId}\"><td>Premium</td><td class=\"num\">\\d+</td><td class=\"num\">{Regex.Escape(Amount(mrrNow))}</td>", html);

        foreach (var table in Tables)
        {
            Assert.Contains($"<table class=\"{table}\"", html, StringComparison.Ordinal);
        }

        // A chart per card, two for credits; none for tier migration, as nobody changed tier.
        Assert.Contains("No member changed tier in this range.", html, StringComparison.Ordinal);
        Assert.Equal(8, CanvasCount().Count(html));

        // Every card's CSV is the API's, for the same range, and the signed-in owner may download it.
        var links = CsvLink().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups["href"].Value)).ToList();
        Assert.Equal(9, links.Count);
        Assert.Contains(links, l => l.StartsWith("/api/v1/reports/churn?", StringComparison.Ordinal) && l.EndsWith("&format=csv&table=reasons", StringComparison.Ordinal));
        var from = Input("from").Match(html).Groups["value"].Value;
        var to = Input("to").Match(html).Groups["value"].Value;
        Assert.All(links, l => Assert.Contains($"from={from}&to={to}&by=plan&format=csv", l, StringComparison.Ordinal));
        var csv = await owner.GetAsync(links[0]);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("month,plan_id,plan_name,plan_version,active_members,mrr", await csv.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The default range is the API's: twelve calendar months ending today.
        var query = api.GetProperty("query");
        Assert.Equal((query.GetProperty("from").GetString(), query.GetProperty("to").GetString()), (from, to));
    }

    [Fact]
    public async Task A_range_that_ends_before_it_starts_is_a_message_on_the_page()
    {
        var owner = await fixture.Silo.SignedInClientAsync(await fixture.Silo.StaffAccountAsync(StaffRole.Admin));

        var response = await owner.GetAsync("/reports?from=2025-06-01&to=2025-01-31");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<p class=\"error\" role=\"alert\">The range starts after it ends", html, StringComparison.Ordinal);
        // The form keeps what was asked, to be corrected; no report is shown.
        Assert.Equal("2025-06-01", Input("from").Match(html).Groups["value"].Value);
        Assert.DoesNotContain("data-chart", html, StringComparison.Ordinal);

        var badDate = await owner.GetAsync("/reports?to=31/01/2025");
        Assert.Equal(HttpStatusCode.BadRequest, badDate.StatusCode);
        Assert.Contains("Dates are written yyyy-MM-dd", await badDate.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StaffRole.FrontDesk)]
    [InlineData(StaffRole.Provider)]
    public async Task Other_roles_are_refused(StaffRole role)
    {
        var staff = await fixture.Silo.SignedInClientAsync(await fixture.Silo.StaffAccountAsync(role));

        Assert.Equal(HttpStatusCode.Forbidden, (await staff.GetAsync("/reports")).StatusCode);
    }

    [Fact]
    public async Task An_administrator_limited_to_a_location_reports_on_it_only()
    {
        var elsewhere = (await _admin.PostOkAsync("/api/v1/locations", new { name = $"Elsewhere {Guid.NewGuid():N}", timeZone = "America/Los_Angeles" })).GetProperty("id").GetString()!;
        var limited = await fixture.Silo.SignedInClientAsync(await fixture.Silo.StaffAccountAsync(StaffRole.Admin, Clinic.LocationId));

        var html = await limited.GetStringAsync("/reports");
        Assert.DoesNotContain("All locations</option>", html, StringComparison.Ordinal);
        Assert.Contains($"<option value=\"{Clinic.LocationId}\" selected=\"selected\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain(elsewhere, html, StringComparison.Ordinal);
        Assert.Contains($"location={Clinic.LocationId}&amp;by=plan&amp;format=csv", html, StringComparison.Ordinal);

        var refused = await limited.GetAsync($"/reports?location={elsewhere}");
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Contains("not one you can report on", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // An administrator seeing every location may pick the other, where nobody is a member.
        var owner = await fixture.Silo.SignedInClientAsync(await fixture.Silo.StaffAccountAsync(StaffRole.Admin));
        var there = await owner.GetStringAsync($"/reports?location={elsewhere}&by=version");
        Assert.Equal(Amount(0), Figure().Match(there).Groups["value"].Value);
        Assert.Contains("<option value=\"version\" selected=\"selected\">", there, StringComparison.Ordinal);
    }

    private static string Amount(long minorUnits) => string.Create(CultureInfo.InvariantCulture, $"{minorUnits / 100m:0.00} USD");

    private static Regex Input(string name) => new($"<input type=\"date\" name=\"{name}\" value=\"(?<value>[^\"]*)\"");

    [GeneratedRegex("data-figure=\"mrr-now\">(?<value>[^<]+)<")]
    private static partial Regex Figure();

    [GeneratedRegex("<canvas id=\"chart-[a-z-]+\" data-chart=")]
    private static partial Regex CanvasCount();

    [GeneratedRegex("<a href=\"(?<href>/api/v1/reports/[^\"]+)\" download>")]
    private static partial Regex CsvLink();
}
