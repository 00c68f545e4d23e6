using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MedSpa.Tests;

namespace MedSpa.Web.Tests;

/// <summary>A plan's price increase over HTTP: every member told once, the confirmed pay it from their date, the rest are listed.</summary>
public sealed class PriceIncreaseTests(ClinicFixture fixture) : IClassFixture<ClinicFixture>
{
    private readonly HttpClient _admin = fixture.Silo.AdminClient();
    private Clinic Clinic => fixture.Clinic;

    [Fact]
    public async Task Members_are_told_once_the_confirmed_pay_the_new_price_and_the_unconfirmed_are_listed()
    {
        var confirming = await Clinic.ActiveMemberAsync("Cora", "Confirms");
        var silent = await Clinic.ActiveMemberAsync("Sid", "Silent");
        var body = new { newPrice = Clinic.Usd(21_900), noticeDays = 0, changeId = "pchg_2027" };

        var fanOut = await PostAsync(body);

        Assert.True(fanOut.GetProperty("membersNotified").GetInt32() >= 2);
        Assert.Equal(21_900, fanOut.GetProperty("change").GetProperty("newPrice").GetProperty("amount").GetInt64());
        // Re-running the same request (as after a crash half way) tells nobody twice.
        await PostAsync(body);
        foreach (var id in new[] { confirming, silent })
        {
            var events = (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/events"))!;
            Assert.Single(events, e => e.GetProperty("type").GetString() == "price_increase_notified");
            var notice = Assert.Single(events, e => e.GetProperty("type").GetString() == "notice_issued");
            Assert.Equal("price_increase", notice.GetProperty("payload").GetProperty("kind").GetString());
        }

        var listed = await UnconfirmedAsync("pchg_2027");
        Assert.Contains(confirming, listed);
        Assert.Contains(silent, listed);
        // The answer's dates are the members' own, as their grains decided them when telling them.
        var dates = (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/plans/{Clinic.PremiumPlanId}/price-changes/pchg_2027/unconfirmed"))!
            .Select(m => m.GetProperty("effectiveFrom").GetString()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal((dates[0], dates[^1]), (fanOut.GetProperty("firstEffectiveFrom").GetString(), fanOut.GetProperty("lastEffectiveFrom").GetString()));

        var confirmed = await (await _admin.PostAsJsonAsync($"/api/v1/members/{confirming}/price-changes/pchg_2027/confirmation", new { confirmedVia = "portal" }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();

        Assert.True(confirmed.GetProperty("confirmed").GetBoolean());
        Assert.Equal("portal", confirmed.GetProperty("confirmedVia").GetString());
        listed = await UnconfirmedAsync("pchg_2027");
        Assert.DoesNotContain(confirming, listed);
        Assert.Contains(silent, listed);
        // With no notice period the new price applies from the next billing date, for the confirmed only.
        var paying = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{confirming}/membership");
        Assert.Equal(21_900, paying.GetProperty("nextPrice").GetProperty("amount").GetInt64());
        Assert.Equal(Clinic.PremiumPrice, paying.GetProperty("price").GetProperty("amount").GetInt64());
        var staying = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{silent}/membership");
        Assert.Equal(Clinic.PremiumPrice, staying.GetProperty("nextPrice").GetProperty("amount").GetInt64());
        Assert.False(staying.GetProperty("pendingPriceChange").GetProperty("confirmed").GetBoolean());

        var scheduled = (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/plans/{Clinic.PremiumPlanId}/price-changes"))!;
        Assert.Single(scheduled, c => c.GetProperty("changeId").GetString() == "pchg_2027");
        await ProblemAssert.IsProblem(
            await _admin.PostAsJsonAsync($"/api/v1/plans/{Clinic.PremiumPlanId}/price-changes", new { newPrice = Clinic.Usd(22_900), noticeDays = 0, changeId = "pchg_2027" }),
            HttpStatusCode.Conflict, "change_id_reused");
    }

    [Fact]
    public async Task Bad_requests_have_stable_codes_and_schedule_nothing()
    {
        var path = $"/api/v1/plans/{Clinic.PremiumPlanId}/price-changes";
        var before = (await _admin.GetFromJsonAsync<JsonElement[]>(path))!.Length;

        await ProblemAssert.IsProblem(await _admin.PostAsJsonAsync(path, new { newPrice = Clinic.Usd(100) }), HttpStatusCode.Conflict, "not_an_increase");
        await ProblemAssert.IsProblem(await _admin.PostAsJsonAsync(path, new { newPrice = new { amount = 99_999, currency = "eur" } }), HttpStatusCode.BadRequest, "currency_mismatch");
        await ProblemAssert.IsProblem(await _admin.PostAsJsonAsync(path, new { newPrice = Clinic.Usd(99_999), noticeDays = -1 }), HttpStatusCode.BadRequest, "invalid_notice_period");
        await ProblemAssert.IsProblem(await _admin.PostAsJsonAsync("/api/v1/plans/plan_nope/price-changes", new { newPrice = Clinic.Usd(99_999) }), HttpStatusCode.NotFound, "plan_not_found");
        await ProblemAssert.IsProblem(await _admin.GetAsync($"{path}/pchg_none/unconfirmed"), HttpStatusCode.NotFound, "price_change_not_found");
        var member = await Clinic.ActiveMemberAsync("Nora", "Notold");
        await ProblemAssert.IsProblem(await _admin.PostAsJsonAsync($"/api/v1/members/{member}/price-changes/pchg_none/confirmation", new { confirmedVia = "desk" }),
            HttpStatusCode.NotFound, "price_change_not_found");

        Assert.Equal(before, (await _admin.GetFromJsonAsync<JsonElement[]>(path))!.Length);
    }

    private async Task<JsonElement> PostAsync(object body)
    {
        var response = await _admin.PostAsJsonAsync($"/api/v1/plans/{Clinic.PremiumPlanId}/price-changes", body);
        var content = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {content}");
        return JsonDocument.Parse(content).RootElement;
    }

    private async Task<List<string>> UnconfirmedAsync(string changeId) =>
        (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/plans/{Clinic.PremiumPlanId}/price-changes/{changeId}/unconfirmed"))!
            .Select(m => m.GetProperty("memberId").GetString()!).ToList();
}
