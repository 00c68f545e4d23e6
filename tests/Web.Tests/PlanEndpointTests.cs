using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MedSpa.Access;
using MedSpa.Tests;
using MedSpa.Web.Access;

namespace MedSpa.Web.Tests;

public sealed class PlanEndpointTests(SiloFixture fixture) : IClassFixture<SiloFixture>, IAsyncLifetime
{
    private readonly HttpClient _admin = fixture.Silo.AdminClient();
    private string _tox = "";
    private string _downtown = "";

    /// <summary>Every test works on plans of its own name; the menu they point at is shared and added once.</summary>
    public async Task InitializeAsync()
    {
        var services = await _admin.GetFromJsonAsync<JsonElement[]>("/api/v1/services");
        if (!services!.Any(s => s.GetProperty("name").GetString() == "Neurotoxin"))
        {
            (await _admin.PostAsJsonAsync("/api/v1/services", new { name = "Neurotoxin", category = "neurotoxin", price = Usd(30_000), durationMinutes = 30 })).EnsureSuccessStatusCode();
            (await _admin.PostAsJsonAsync("/api/v1/services", new { name = "HydraFacial", category = "facial", price = Usd(19_900), durationMinutes = 60 })).EnsureSuccessStatusCode();
            (await _admin.PostAsJsonAsync("/api/v1/locations", new { name = "Downtown", timeZone = "America/New_York" })).EnsureSuccessStatusCode();
            services = await _admin.GetFromJsonAsync<JsonElement[]>("/api/v1/services");
        }

        _tox = services!.Single(s => s.GetProperty("name").GetString() == "Neurotoxin").GetProperty("id").GetString()!;
        _downtown = (await _admin.GetFromJsonAsync<JsonElement[]>("/api/v1/locations"))!.Single().GetProperty("id").GetString()!;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Tiers_run_side_by_side_and_are_listed_by_name()
    {
        var premium = await CreateAsync(Terms("Premium Side", 29_900));
        var essential = await CreateAsync(Terms("Essential Side", 9_900));

        Assert.Equal(HttpStatusCode.Created, premium.StatusCode);
        Assert.Equal("/api/v1/plans/plan_premium-side", premium.Headers.Location?.OriginalString);
        var created = await premium.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("plan_premium-side", created.GetProperty("id").GetString());
        var version = Assert.Single(created.GetProperty("versions").EnumerateArray());
        Assert.Equal(1, version.GetProperty("version").GetInt32());
        Assert.Equal(HttpStatusCode.Created, essential.StatusCode);

        var listed = (await _admin.GetFromJsonAsync<JsonElement[]>("/api/v1/plans"))!;
        var ids = listed.Select(p => p.GetProperty("id").GetString()).ToList();
        Assert.Contains("plan_essential-side", ids);
        Assert.True(ids.IndexOf("plan_essential-side") < ids.IndexOf("plan_premium-side"), string.Join(", ", ids));
        var names = listed.Select(p => p.GetProperty("current").GetProperty("terms").GetProperty("name").GetString()).ToList();
        Assert.Equal(names.Order(StringComparer.OrdinalIgnoreCase), names);
    }

    [Fact]
    public async Task A_plan_reads_back_as_created_with_keys_and_snake_case_enums()
    {
        (await CreateAsync(Terms("Glow Read", 19_900))).EnsureSuccessStatusCode();

        var plan = await _admin.GetFromJsonAsync<JsonElement>("/api/v1/plans/plan_glow-read");

        var terms = plan.GetProperty("current").GetProperty("terms");
        Assert.Equal("Glow Read", terms.GetProperty("name").GetString());
        Assert.Equal(19_900, terms.GetProperty("monthlyPrice").GetProperty("amount").GetInt64());
        Assert.Equal("buy_out", terms.GetProperty("cancellation").GetString());
        var benefits = terms.GetProperty("benefits").EnumerateArray().ToList();
        Assert.Equal(["treatment_units", "dollar_credit", "discount"], benefits.Select(b => b.GetProperty("kind").GetString()));
        Assert.Equal([$"units:{_tox}", "dollars:facial", "discount:all"], benefits.Select(b => b.GetProperty("key").GetString()));
        Assert.Equal("extra-neurotoxin", terms.GetProperty("addOns")[0].GetProperty("key").GetString());
        Assert.Equal([_downtown], terms.GetProperty("locationIds").EnumerateArray().Select(l => l.GetString()));
        var offer = terms.GetProperty("reactivationOffer");
        Assert.Equal((50, 14), (offer.GetProperty("firstMonthDiscountPercent").GetInt32(), offer.GetProperty("sendAfterDays").GetInt32()));
    }

    [Fact]
    public async Task An_edit_is_a_new_version_and_the_first_is_kept()
    {
        (await CreateAsync(Terms("Edit Me", 19_900))).EnsureSuccessStatusCode();

        var response = await PutAsync("plan_edit-me", Terms("Edit Me Renamed", 21_900));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var plan = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("plan_edit-me", plan.GetProperty("id").GetString());
        var versions = plan.GetProperty("versions").EnumerateArray().ToList();
        Assert.Equal([1, 2], versions.Select(v => v.GetProperty("version").GetInt32()));
        Assert.Equal([19_900, 21_900], versions.Select(v => v.GetProperty("terms").GetProperty("monthlyPrice").GetProperty("amount").GetInt64()));
        Assert.Equal("Edit Me Renamed", plan.GetProperty("current").GetProperty("terms").GetProperty("name").GetString());
        Assert.Equal(plan.ToString(), (await _admin.GetFromJsonAsync<JsonElement>("/api/v1/plans/plan_edit-me")).ToString());
    }

    [Fact]
    public async Task The_same_edit_twice_adds_one_version()
    {
        (await CreateAsync(Terms("Twice", 19_900))).EnsureSuccessStatusCode();
        (await PutAsync("plan_twice", Terms("Twice", 20_900))).EnsureSuccessStatusCode();
        var before = await _admin.GetStringAsync("/api/v1/plans/plan_twice");

        var again = await PutAsync("plan_twice", Terms("Twice", 20_900));

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(before, await again.Content.ReadAsStringAsync());
        Assert.Equal(before, await _admin.GetStringAsync("/api/v1/plans/plan_twice"));
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { """{"name": "Bad", "monthlyPrice": {"amount": -100, "currency": "usd"}, "minimumTermMonths": 0, "benefits": []}""", "invalid_amount" },
        { """{"name": "Bad", "monthlyPrice": {"amount": 0, "currency": "usd"}, "minimumTermMonths": 0, "benefits": []}""", "invalid_price" },
        { """{"name": "  ", "monthlyPrice": {"amount": 100, "currency": "usd"}, "minimumTermMonths": 0, "benefits": []}""", "invalid_name" },
        { """{"name": "Bad", "monthlyPrice": {"amount": 100, "currency": "usd"}, "minimumTermMonths": 61, "benefits": []}""", "invalid_minimum_term" },
        { """{"name": "Bad", "monthlyPrice": {"amount": 100, "currency": "usd"}, "minimumTermMonths": 0, "benefits": [{"kind": "treatment_units", "serviceId": "svc_nope", "units": 1}]}""", "unknown_service" },
        { """{"name": "Bad", "monthlyPrice": {"amount": 100, "currency": "usd"}, "minimumTermMonths": 0, "benefits": [{"kind": "dollar_credit", "category": "massage", "amount": {"amount": 100, "currency": "usd"}}]}""", "unknown_category" },
        { """{"name": "Bad", "monthlyPrice": {"amount": 100, "currency": "usd"}, "minimumTermMonths": 0, "benefits": [{"kind": "dollar_credit", "category": "facial", "amount": {"amount": 100, "currency": "usd"}, "rollover": {"maxAccumulation": 50}}]}""", "rollover_cap_below_allocation" },
        { """{"name": "Bad", "monthlyPrice": {"amount": 100, "currency": "usd"}, "minimumTermMonths": 0, "benefits": [{"kind": "discount", "percent": 101}]}""", "invalid_percent" },
        { """{"name": "Bad", "monthlyPrice": {"amount": 100, "currency": "usd"}, "minimumTermMonths": 0, "benefits": [], "locationIds": ["loc_nowhere"]}""", "unknown_location" },
        { """{"name": "Bad", "monthlyPrice": {"amount": 100, "currency": "usd"}, "minimumTermMonths": 0, "benefits": [], "pause": {"maxDays": 0}}""", "invalid_pause_rules" },
        { """{"name": "Bad", "monthlyPrice": {"amount": 100, "currency": "usd"}, "minimumTermMonths": 0, "benefits": [], "reactivationOffer": {"firstMonthDiscountPercent": 50, "sendAfterDays": 90}}""", "invalid_reactivation_send_after_days" },
        { """{"name": "Bad", "monthlyPrice": {"amount": 100, "currency": "usd"}, "minimumTermMonths": 0, "benefits": [], "reactivationOffer": {"firstMonthDiscountPercent": 50, "sendAfterDays": 0}}""", "invalid_reactivation_send_after_days" },
        { """{"name": "Bad", "monthlyPrice": {"amount": 100, "currency": "usd"}, "minimumTermMonths": 0, "benefits": [{"kind": "free_botox"}]}""", "malformed_request" },
        { """{"name": "Bad", "monthlyPrice": {"amount": 100, "currency": "usd"}, "minimumTermMonths": 0, "benefits": [], "isFree": true}""", "malformed_request" },
        { """{"name": "Bad", "monthlyPrice": {"amount": 100, "currency": "usd"}, "minimumTermMonths": 0, "benefits": [], "cancellation": "walk_away"}""", "malformed_request" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_plan_is_refused_with_its_code_and_changes_nothing(string body, string code)
    {
        // Each case of the theory runs on the same silo; the first creates the plan the others find.
        var created = await CreateAsync(Terms("Untouched", 19_900));
        Assert.True(created.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, created.StatusCode.ToString());
        var list = await _admin.GetStringAsync("/api/v1/plans");
        var plan = await _admin.GetStringAsync("/api/v1/plans/plan_untouched");

        await ProblemAssert.IsProblem(await _admin.PostAsync("/api/v1/plans", Json(body)), HttpStatusCode.BadRequest, code);
        await ProblemAssert.IsProblem(await _admin.PutAsync("/api/v1/plans/plan_untouched", Json(body)), HttpStatusCode.BadRequest, code);

        Assert.Equal(list, await _admin.GetStringAsync("/api/v1/plans"));
        Assert.Equal(plan, await _admin.GetStringAsync("/api/v1/plans/plan_untouched"));
    }

    [Theory]
    [InlineData("plan_never-made")]
    [InlineData("premium")]
    [InlineData("deadbeef")]
    public async Task An_unknown_plan_is_not_found(string id)
    {
        await ProblemAssert.IsProblem(await _admin.GetAsync($"/api/v1/plans/{id}"), HttpStatusCode.NotFound, "plan_not_found");
        await ProblemAssert.IsProblem(await PutAsync(id, Terms("Never Made", 19_900)), HttpStatusCode.NotFound, "plan_not_found");
    }

    [Fact]
    public async Task A_second_plan_with_the_same_name_is_a_conflict()
    {
        (await CreateAsync(Terms("Only One", 19_900))).EnsureSuccessStatusCode();

        await ProblemAssert.IsProblem(await CreateAsync(Terms("only  one!", 9_900)), HttpStatusCode.Conflict, "plan_exists");
        var plan = await _admin.GetFromJsonAsync<JsonElement>("/api/v1/plans/plan_only-one");
        Assert.Single(plan.GetProperty("versions").EnumerateArray());
    }

    [Fact]
    public async Task The_front_desk_can_read_plans_but_not_create_or_edit_them()
    {
        (await CreateAsync(Terms("Desk Visible", 19_900))).EnsureSuccessStatusCode();
        var desk = await ClientWithRoleAsync("desk-key-for-plans", StaffRole.FrontDesk);

        await ProblemAssert.IsProblem(await desk.PostAsync("/api/v1/plans", Json(Terms("Desk Made", 19_900))), HttpStatusCode.Forbidden, "forbidden");
        await ProblemAssert.IsProblem(await desk.PutAsync("/api/v1/plans/plan_desk-visible", Json(Terms("Desk Visible", 1_900))), HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(HttpStatusCode.OK, (await desk.GetAsync("/api/v1/plans/plan_desk-visible")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await desk.GetAsync("/api/v1/plans")).StatusCode);
        await ProblemAssert.IsProblem(await _admin.GetAsync("/api/v1/plans/plan_desk-made"), HttpStatusCode.NotFound, "plan_not_found");
    }

    private static object Usd(long amount) => new { amount, currency = "usd" };

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static StringContent Json(JsonObject body) => Json(body.ToJsonString());

    private Task<HttpResponseMessage> CreateAsync(JsonObject terms) => _admin.PostAsync("/api/v1/plans", Json(terms));

    private Task<HttpResponseMessage> PutAsync(string id, JsonObject terms) => _admin.PutAsync($"/api/v1/plans/{id}", Json(terms));

    /// <summary>A full tier: every kind of benefit, an add-on, pause, buy-out, a reactivation offer, one location.</summary>
    private JsonObject Terms(string name, long price) => new()
    {
        ["name"] = name,
        ["description"] = "Monthly neurotoxin and a facial allowance.",
        ["monthlyPrice"] = new JsonObject { ["amount"] = price, ["currency"] = "usd" },
        ["minimumTermMonths"] = 12,
        ["benefits"] = new JsonArray(
            new JsonObject { ["kind"] = "treatment_units", ["serviceId"] = _tox, ["units"] = 1, ["rollover"] = new JsonObject { ["maxAccumulation"] = 3 } },
            new JsonObject { ["kind"] = "dollar_credit", ["category"] = "facial", ["amount"] = new JsonObject { ["amount"] = 5_000, ["currency"] = "usd" } },
            new JsonObject { ["kind"] = "discount", ["percent"] = 10 }),
        ["addOns"] = new JsonArray(new JsonObject
        {
            ["name"] = "Extra neurotoxin", ["price"] = new JsonObject { ["amount"] = 25_000, ["currency"] = "usd" },
            ["kind"] = "treatment_units", ["serviceId"] = _tox, ["units"] = 1, ["validForDays"] = 90,
        }),
        ["pause"] = new JsonObject { ["maxDays"] = 30, ["timesPer12Months"] = 1 },
        ["cancellation"] = "buy_out",
        ["reactivationOffer"] = new JsonObject { ["firstMonthDiscountPercent"] = 50, ["sendAfterDays"] = 14 },
        ["locationIds"] = new JsonArray(_downtown),
    };

    private async Task<HttpClient> ClientWithRoleAsync(string key, StaffRole role)
    {
        await fixture.Silo.Grains.GetGrain<IApiKeyGrain>(IApiKeyGrain.Key)
            .EnsureAsync(new ApiKeyRegistration(ApiKeyAuthentication.Hash(key), $"{role} for plan tests", role));
        var client = fixture.Silo.AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}

public sealed class PlanDurabilityTests
{
    [Fact]
    public async Task Plans_and_their_versions_outlive_a_restart()
    {
        await using var database = await TestDatabase.CreateAsync();

        string before;
        await using (var silo = await TestSilo.StartAsync(database))
        {
            var admin = silo.AdminClient();
            var service = await (await admin.PostAsJsonAsync("/api/v1/services",
                new { name = "Neurotoxin", category = "neurotoxin", price = new { amount = 30_000, currency = "usd" }, durationMinutes = 30 }))
                .Content.ReadFromJsonAsync<JsonElement>();
            var terms = new
            {
                name = "Lasting",
                monthlyPrice = new { amount = 19_900, currency = "usd" },
                minimumTermMonths = 6,
                benefits = new object[]
                {
                    new { kind = "treatment_units", serviceId = service.GetProperty("id").GetString(), units = 2, rollover = new { maxAccumulation = 4 } },
                    new { kind = "discount", category = "neurotoxin", percent = 15 },
                },
                cancellation = "buy_out",
            };
            (await admin.PostAsJsonAsync("/api/v1/plans", terms)).EnsureSuccessStatusCode();
            (await admin.PutAsJsonAsync("/api/v1/plans/plan_lasting", terms with { minimumTermMonths = 3 })).EnsureSuccessStatusCode();
            before = await admin.GetStringAsync("/api/v1/plans");
        }

        await using (var silo = await TestSilo.StartAsync(database))
        {
            var after = await silo.AdminClient().GetStringAsync("/api/v1/plans");
            Assert.Equal(before, after);
            Assert.Equal(2, JsonDocument.Parse(after).RootElement[0].GetProperty("versions").GetArrayLength());
        }
    }
}
