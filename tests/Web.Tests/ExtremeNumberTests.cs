using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MedSpa.Access;
using MedSpa.Tests;

namespace MedSpa.Web.Tests;

/// <summary>
/// Issue 19, finding 10: the largest and smallest numbers a request can carry, into every place a quantity or an
/// amount of money comes in. Each is refused with a stable code and records nothing, and the member is as usable
/// afterwards as before: their credits, ledger and page, the practice's ledger export, and a correction.
/// </summary>
public sealed class ExtremeNumberTests(ClinicFixture fixture) : IClassFixture<ClinicFixture>
{
    private const string Max = "9223372036854775807";
    private const string Min = "-9223372036854775808";

    private readonly HttpClient _admin = fixture.Silo.AdminClient();
    private Clinic Clinic => fixture.Clinic;

    [Theory]
    [InlineData(Max)]
    [InlineData(Min)]
    [InlineData("100001")]
    [InlineData("-100001")]
    public async Task A_credit_adjustment_beyond_the_limit_is_refused_and_the_member_stays_whole(string quantity)
    {
        var id = await Clinic.ActiveMemberAsync("Extreme", "Adjust");

        await RefusedAsync(id, $"/api/v1/members/{id}/credit-adjustments",
            $$"""{"adjustmentId": "adj_extreme", "benefitKey": "{{Clinic.NeurotoxinKey}}", "quantity": {{quantity}}, "reason": "Typo"}""",
            "quantity_out_of_range");

        // Everything that read the poisoned member before still answers, and a correction is taken.
        (await _admin.GetAsync($"/api/v1/members/{id}/credits")).EnsureSuccessStatusCode();
        (await _admin.GetAsync($"/api/v1/members/{id}/ledger")).EnsureSuccessStatusCode();
        (await _admin.GetAsync("/api/v1/exports/ledger.csv")).EnsureSuccessStatusCode();
        var owner = await fixture.Silo.SignedInClientAsync(await fixture.Silo.StaffAccountAsync(StaffRole.Admin));
        (await owner.GetAsync($"/members/{id}")).EnsureSuccessStatusCode();
        var corrected = await _admin.PostAsJsonAsync($"/api/v1/members/{id}/credit-adjustments",
            new { adjustmentId = "adj_fix", benefitKey = Clinic.NeurotoxinKey, quantity = 2, reason = "Goodwill" });
        corrected.EnsureSuccessStatusCode();
        var balance = (await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}/credits"))
            .GetProperty("balances").EnumerateArray().Single(b => b.GetProperty("benefitKey").GetString() == Clinic.NeurotoxinKey);
        Assert.Equal(1 + 2, balance.GetProperty("balance").GetInt64());
    }

    [Fact]
    public async Task A_dollar_credit_adjustment_may_go_to_a_million_dollars_and_no_further()
    {
        var id = await Clinic.ActiveMemberAsync("Extreme", "Dollars");

        await RefusedAsync(id, $"/api/v1/members/{id}/credit-adjustments",
            $$"""{"adjustmentId": "adj_big", "benefitKey": "{{Clinic.FacialCreditKey}}", "quantity": 100000001, "reason": "Typo"}""",
            "quantity_out_of_range");
        var taken = await _admin.PostAsJsonAsync($"/api/v1/members/{id}/credit-adjustments",
            new { adjustmentId = "adj_most", benefitKey = Clinic.FacialCreditKey, quantity = 100_000_000, reason = "Largest gift card" });
        taken.EnsureSuccessStatusCode();
    }

    [Theory]
    [InlineData(Max, "quantity_out_of_range")]
    [InlineData("100000001", "quantity_out_of_range")]
    [InlineData(Min, "invalid_quantity")]
    public async Task A_redemption_of_an_extreme_quantity_is_refused(string quantity, string code)
    {
        var id = await Clinic.ActiveMemberAsync("Extreme", "Redeem");

        await RefusedAsync(id, $"/api/v1/members/{id}/redemptions",
            $$"""{"redemptionId": "red_extreme", "benefitKey": "{{Clinic.NeurotoxinKey}}", "quantity": {{quantity}}}""", code);
    }

    [Theory]
    [InlineData(Max)]
    [InlineData(Min)]
    [InlineData("100000001")]
    public async Task A_desk_payment_of_an_extreme_amount_is_refused(string amount)
    {
        var id = await Clinic.RegisterAsync("Extreme", "Desk");
        (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/enrolment",
            new { planId = Clinic.PremiumPlanId, agreement = new { signedName = "Extreme Desk", accepted = true } })).EnsureSuccessStatusCode();

        await RefusedAsync(id, $"/api/v1/members/{id}/desk-payments",
            $$$"""{"paymentId": "pay_extreme", "method": "cash", "amount": {"amount": {{{amount}}}, "currency": "usd"}}""", "amount_out_of_range");
    }

    [Theory]
    [InlineData(Max, "amount_out_of_range")]
    [InlineData("100000001", "amount_out_of_range")]
    [InlineData(Min, "amount_out_of_range")]
    public async Task A_refund_of_an_extreme_amount_is_refused(string amount, string code)
    {
        var id = await Clinic.CardMemberAsync("Extreme", "Refund");
        var payment = Assert.Single(await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/payments") ?? []);

        await RefusedAsync(id, $"/api/v1/members/{id}/refunds",
            $$$"""{"refundId": "ref_extreme", "paymentId": "{{{payment.GetProperty("paymentId").GetString()}}}", "amount": {"amount": {{{amount}}}, "currency": "usd"}}""", code);
    }

    [Theory]
    [InlineData("""{"serviceId": "SVC", "quantity": 2147483647}""", "invalid_quantity")]
    [InlineData("""{"serviceId": "SVC", "quantity": -2147483648}""", "invalid_quantity")]
    [InlineData("""{"serviceId": "SVC", "quantity": 9223372036854775807}""", "malformed_request")]
    [InlineData("""{"package": {"name": "Ten", "price": {"amount": 9223372036854775807, "currency": "usd"}, "serviceId": "SVC", "sessions": 10}}""", "invalid_amount")]
    [InlineData("""{"package": {"name": "Ten", "price": {"amount": -9223372036854775808, "currency": "usd"}, "serviceId": "SVC", "sessions": 10}}""", "invalid_amount")]
    [InlineData("""{"package": {"name": "Ten", "price": {"amount": 100000, "currency": "usd"}, "serviceId": "SVC", "sessions": 2147483647}}""", "invalid_package")]
    [InlineData("""{"package": {"name": "Ten", "price": {"amount": 100000, "currency": "usd"}, "serviceId": "SVC", "sessions": 10, "validForDays": 2147483647}}""", "invalid_package")]
    public async Task A_checkout_with_extreme_quantities_or_prices_is_refused(string item, string code)
    {
        var id = await Clinic.ActiveMemberAsync("Extreme", "Checkout");
        var line = item.Replace("SVC", Clinic.FacialId, StringComparison.Ordinal);

        await RefusedAsync(id, $"/api/v1/members/{id}/checkout-preview", $$"""{"items": [{{line}}]}""", code);
        await RefusedAsync(id, $"/api/v1/members/{id}/checkouts",
            $$"""{"checkoutId": "chk_extreme", "basket": {"items": [{{line}}]}, "settlement": "cash"}""", code);
    }

    [Theory]
    [InlineData(Max, "pause_too_long")]
    [InlineData("2147483647", "pause_too_long")]
    [InlineData("-2147483648", "invalid_pause_length")]
    public async Task A_pause_of_an_extreme_length_is_refused(string days, string code)
    {
        var id = await Clinic.ActiveMemberAsync("Extreme", "Pause");

        // A number too large for the field is refused as a malformed request before it reaches the rules.
        await RefusedAsync(id, $"/api/v1/members/{id}/pause", $$"""{"days": {{days}}}""", days == Max ? "malformed_request" : code);
    }

    [Theory]
    [InlineData("""{"monthlyPrice": {"amount": 9223372036854775807, "currency": "usd"}}""", "invalid_amount")]
    [InlineData("""{"monthlyPrice": {"amount": -9223372036854775808, "currency": "usd"}}""", "invalid_amount")]
    [InlineData("""{"benefits": [{"kind": "treatment_units", "category": "neurotoxin", "units": 2147483647}]}""", "invalid_units")]
    [InlineData("""{"benefits": [{"kind": "treatment_units", "category": "neurotoxin", "units": 1, "rollover": {"maxAccumulation": 9223372036854775807}}]}""", "invalid_rollover")]
    [InlineData("""{"benefits": [{"kind": "dollar_credit", "category": "facial", "amount": {"amount": 9223372036854775807, "currency": "usd"}}]}""", "invalid_amount")]
    [InlineData("""{"addOns": [{"name": "Huge", "price": {"amount": 9223372036854775807, "currency": "usd"}, "kind": "treatment_units", "category": "neurotoxin", "units": 1}]}""", "invalid_amount")]
    [InlineData("""{"addOns": [{"name": "Huge", "price": {"amount": 100, "currency": "usd"}, "kind": "treatment_units", "category": "neurotoxin", "units": 2147483647}]}""", "invalid_units")]
    [InlineData("""{"reactivationOffer": {"firstMonthDiscountPercent": 0, "bonusQuantity": 9223372036854775807, "bonusBenefitKey": "units:neurotoxin"}}""", "invalid_reactivation_offer")]
    public async Task A_plan_with_an_extreme_price_or_quantity_is_refused_and_no_plan_is_made(string overrides, string code)
    {
        var plan = JsonDocument.Parse($$"""
            {"name": "Extreme", "monthlyPrice": {"amount": 10000, "currency": "usd"}, "minimumTermMonths": 0,
             "benefits": [{"kind": "treatment_units", "category": "neurotoxin", "units": 1}]}
            """).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
        foreach (var property in JsonDocument.Parse(overrides).RootElement.EnumerateObject())
        {
            plan[property.Name] = property.Value;
        }

        var before = await _admin.GetStringAsync("/api/v1/plans");
        var response = await _admin.PostAsync("/api/v1/plans", new StringContent(JsonSerializer.Serialize(plan), Encoding.UTF8, "application/json"));

        await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, code);
        Assert.Equal(before, await _admin.GetStringAsync("/api/v1/plans"));
    }

    [Theory]
    [InlineData("units:neurotoxin", Max)]
    [InlineData("units:neurotoxin", "100001")]
    [InlineData("dollars:facial", "1000001")]
    public async Task An_opening_balance_beyond_the_limit_is_a_problem_of_its_row(string key, string balance)
    {
        var email = $"extreme.{Guid.NewGuid():N}@example.com";
        var csv = $"name,email,plan,start date,billing day,{key}\nExtreme Import,{email},Premium,2025-01-15,15,{balance}\n";

        var response = await _admin.PostAsync("/api/v1/import/dry-run", new StringContent(csv, Encoding.UTF8, "text/csv"));

        var report = await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        var row = Assert.Single(report.GetProperty("rows").EnumerateArray());
        Assert.Equal("error", row.GetProperty("outcome").GetString());
        Assert.Contains(row.GetProperty("problems").EnumerateArray(), p => p.GetProperty("code").GetString() == "quantity_out_of_range");
    }

    /// <summary>The call is refused with <paramref name="code"/> and the member's log is exactly as long as before.</summary>
    private async Task RefusedAsync(string memberId, string path, string body, string code)
    {
        await NoticesDeliveredAsync(memberId);
        var before = await EventCountAsync(memberId);

        var response = await _admin.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

        await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, code);
        Assert.Equal(before, await EventCountAsync(memberId));
    }

    /// <summary>Waits until every notice the member was issued is reported sent: those reports are appended in the background.</summary>
    private async Task NoticesDeliveredAsync(string memberId) =>
        await Eventually.Until(
            () => _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{memberId}/events")!,
            events => events!.Count(e => e.GetProperty("type").GetString() == "notice_issued") == events!.Count(e => e.GetProperty("type").GetString() == "notice_sent"),
            TimeSpan.FromSeconds(20), "the member's notices to be delivered");

    private async Task<int> EventCountAsync(string memberId) =>
        (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{memberId}/events"))!.Length;
}
