using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MedSpa.Tests;

namespace MedSpa.Web.Tests;

public sealed class PracticeEndpointTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private readonly HttpClient _admin = fixture.Silo.AdminClient();

    [Fact]
    public async Task A_location_added_is_listed_with_its_time_zone()
    {
        var response = await _admin.PostAsJsonAsync("/api/v1/locations", new { name = "Harbour", timeZone = "Australia/Sydney" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetString();
        Assert.Equal($"/api/v1/locations/{id}", response.Headers.Location?.OriginalString);
        var listed = await _admin.GetFromJsonAsync<JsonElement[]>("/api/v1/locations");
        Assert.Contains(listed!, l => l.GetProperty("id").GetString() == id && l.GetProperty("timeZone").GetString() == "Australia/Sydney");
    }

    [Fact]
    public async Task A_service_added_keeps_its_price_in_minor_units()
    {
        var response = await _admin.PostAsJsonAsync("/api/v1/services",
            new { name = "Lip filler", category = "filler", price = new { amount = 55_000, currency = "usd" }, durationMinutes = 45 });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var listed = await _admin.GetFromJsonAsync<JsonElement[]>("/api/v1/services");
        var service = Assert.Single(listed!, s => s.GetProperty("name").GetString() == "Lip filler");
        Assert.Equal(55_000, service.GetProperty("price").GetProperty("amount").GetInt64());
    }

    [Theory]
    [InlineData("/api/v1/locations", """{"name": "Nowhere", "timeZone": "Eastern Standard Time"}""", HttpStatusCode.BadRequest, "invalid_time_zone")]
    [InlineData("/api/v1/services", """{"name": "Peel", "category": "facial", "price": {"amount": -5, "currency": "usd"}, "durationMinutes": 30}""", HttpStatusCode.BadRequest, "invalid_amount")]
    [InlineData("/api/v1/services", """{"name": "Peel", "category": "facial", "price": {"amount": 1.5, "currency": "usd"}, "durationMinutes": 30}""", HttpStatusCode.BadRequest, "malformed_request")]
    [InlineData("/api/v1/services", """{"name": "Peel", "category": "facial", "price": {"amount": 99999999999999999999, "currency": "usd"}, "durationMinutes": 30}""", HttpStatusCode.BadRequest, "malformed_request")]
    [InlineData("/api/v1/locations", """{"name": "Nowhere", "timeZone": "Europe/Paris", "isAdmin": true}""", HttpStatusCode.BadRequest, "malformed_request")]
    public async Task Bad_practice_input_is_refused_and_changes_nothing(string path, string body, HttpStatusCode status, string code)
    {
        var before = await _admin.GetStringAsync(path);

        var response = await _admin.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

        await ProblemAssert.IsProblem(response, status, code);
        Assert.Equal(before, await _admin.GetStringAsync(path));
    }

    [Fact]
    public async Task A_second_location_with_the_same_name_is_a_conflict()
    {
        (await _admin.PostAsJsonAsync("/api/v1/locations", new { name = "Uptown", timeZone = "America/Chicago" })).EnsureSuccessStatusCode();

        var again = await _admin.PostAsJsonAsync("/api/v1/locations", new { name = "uptown", timeZone = "America/Denver" });

        await ProblemAssert.IsProblem(again, HttpStatusCode.Conflict, "location_exists");
    }
}

public sealed class DemoPracticeTests
{
    [Fact]
    public async Task A_fresh_deployment_is_seeded_once_and_a_restart_keeps_it_as_it_was()
    {
        await using var database = await TestDatabase.CreateAsync();
        var seeded = new Dictionary<string, string?> { ["Demo:Seed"] = "true" };

        string first;
        await using (var silo = await TestSilo.StartAsync(database, seeded))
        {
            var locations = await silo.AdminClient().GetFromJsonAsync<JsonElement[]>("/api/v1/locations");
            Assert.Equal(2, locations!.Select(l => l.GetProperty("timeZone").GetString()).Distinct().Count());
            Assert.NotEmpty((await silo.AdminClient().GetFromJsonAsync<JsonElement[]>("/api/v1/services"))!);
            first = await silo.AdminClient().GetStringAsync("/api/v1/services") + await silo.AdminClient().GetStringAsync("/api/v1/locations");
        }

        await using (var silo = await TestSilo.StartAsync(database, seeded))
        {
            Assert.Equal(first, await silo.AdminClient().GetStringAsync("/api/v1/services") + await silo.AdminClient().GetStringAsync("/api/v1/locations"));
        }
    }

    [Fact]
    public async Task A_month_later_the_demo_members_renewals_are_charged_on_their_cards_the_declining_one_is_chased_and_the_unpaid_enrolment_has_lapsed()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var silo = await TestSilo.StartAsync(database, new Dictionary<string, string?> { ["Demo:Seed"] = "true" });
        var admin = silo.AdminClient();
        var amelia = await OnlyMatchAsync(admin, "hart");
        var sofia = await OnlyMatchAsync(admin, "marquez");
        var priya = await OnlyMatchAsync(admin, "nair");
        var membership = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{sofia}/membership");
        var renewal = DateOnly.Parse(membership.GetProperty("nextBillingDate").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var losAngeles = TimeZoneInfo.FindSystemTimeZoneById(membership.GetProperty("timeZone").GetString()!);
        var nineThere = renewal.ToDateTime(new TimeOnly(9, 0));

        // Priya enrolled without a card to pay at the desk: the next morning she is chased for it (issue 19, finding 7).
        var pending = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{priya}/membership");
        Assert.Equal("pending_payment", pending.GetProperty("status").GetString());
        var nextMorning = DateOnly.Parse(pending.GetProperty("enrolledOn").GetString()!, System.Globalization.CultureInfo.InvariantCulture).AddDays(1).ToDateTime(new TimeOnly(9, 0));
        using (var morning = new HttpRequestMessage(HttpMethod.Post, "/api/v1/admin/clock/advance")
        {
            Content = JsonContent.Create(new { to = new DateTimeOffset(nextMorning, losAngeles.GetUtcOffset(nextMorning)).AddMinutes(10) }),
        })
        {
            (await admin.SendAsync(morning)).EnsureSuccessStatusCode();
        }

        var chased = Assert.Single((await admin.GetFromJsonAsync<JsonElement[]>("/api/v1/billing/failed-payments"))!);
        Assert.Equal((priya, "pending_payment", "no_card_on_file"),
            (chased.GetProperty("memberId").GetString(), chased.GetProperty("status").GetString(), chased.GetProperty("lastDeclineCode").GetString()));

        using var advance = new HttpRequestMessage(HttpMethod.Post, "/api/v1/admin/clock/advance")
        {
            Content = JsonContent.Create(new { to = new DateTimeOffset(nineThere, losAngeles.GetUtcOffset(nineThere)).AddMinutes(10) }),
        };
        (await admin.SendAsync(advance)).EnsureSuccessStatusCode();

        var board = (await admin.GetFromJsonAsync<JsonElement[]>("/api/v1/billing/failed-payments"))!;
        Assert.Equal([sofia], board.Select(line => line.GetProperty("memberId").GetString()));
        Assert.Equal("cancelled", (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{priya}/membership")).GetProperty("status").GetString());
        var renewed = (await admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{amelia}/charge-attempts"))!;
        Assert.Equal("succeeded", Assert.Single(renewed).GetProperty("result").GetString());
    }

    private static async Task<string> OnlyMatchAsync(HttpClient admin, string query) =>
        Assert.Single((await admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members?q={query}"))!).GetProperty("id").GetString()!;
}
