using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MedSpa.Tests;

namespace MedSpa.Web.Tests;

/// <summary>Plan changes over HTTP: the upgrade's prorated charge through Stripe.net and the emulator, declines, downgrades.</summary>
public sealed class PlanChangeTests(ClinicFixture fixture) : IClassFixture<ClinicFixture>
{
    private const long PlatinumPrice = 29_900;
    private readonly HttpClient _admin = fixture.Silo.AdminClient();
    private Clinic Clinic => fixture.Clinic;

    [Fact]
    public async Task An_upgrade_mid_period_charges_the_exact_prorated_difference_once_and_grants_the_extra_credit_now()
    {
        var platinum = await PlanAsync("Platinum", PlatinumPrice, neurotoxinUnits: 3, facialCredit: 10_000);
        var id = await CardMemberAsync("Uma", "Upgrade");
        (await _admin.PostAsJsonAsync("/api/v1/admin/clock/advance", new { by = "P9D" })).EnsureSuccessStatusCode();
        var membership = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}/membership");
        var (remaining, days) = await DaysLeftAsync(membership);
        var expected = (long)Math.Round((PlatinumPrice - Clinic.PremiumPrice) * (decimal)remaining / days, MidpointRounding.AwayFromZero);
        var eventsBefore = (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/events"))!.Length;

        var quote = await PostAsync(id, new { planId = platinum, confirm = false });
        Assert.Equal(("quoted", "upgrade", expected), (quote.GetProperty("status").GetString(), quote.GetProperty("direction").GetString(), quote.GetProperty("charge").GetProperty("amount").GetInt64()));
        Assert.Equal(eventsBefore, (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/events"))!.Length);

        var done = await PostAsync(id, new { planId = platinum, confirm = true, changeId = "chg_up1" });

        Assert.Equal("applied", done.GetProperty("status").GetString());
        Assert.Equal(platinum, done.GetProperty("membership").GetProperty("planId").GetString());
        Assert.Equal(membership.GetProperty("anchorDay").GetInt32(), done.GetProperty("membership").GetProperty("anchorDay").GetInt32());
        var attempt = (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/charge-attempts"))!.Last();
        Assert.Equal(("plan_change", "succeeded", expected), (attempt.GetProperty("purpose").GetString(), attempt.GetProperty("result").GetString(), attempt.GetProperty("amount").GetProperty("amount").GetInt64()));
        Assert.Equal($"plan-change:{id}:chg_up1:1", attempt.GetProperty("attemptId").GetString());
        var intents = await PaymentIntentsFor(id);
        Assert.Single(intents, pi => pi.GetProperty("amount").GetInt64() == expected && pi.GetProperty("status").GetString() == "succeeded");
        var extraUnits = 2 * remaining / days;
        Assert.Equal(1 + extraUnits, await BalanceAsync(id, Clinic.NeurotoxinKey));

        // Repeating the confirmed change charges nothing more.
        var again = await PostAsync(id, new { planId = platinum, confirm = true, changeId = "chg_up1" });
        Assert.Equal("applied", again.GetProperty("status").GetString());
        Assert.Equal(intents.Count, (await PaymentIntentsFor(id)).Count);
    }

    [Fact]
    public async Task A_declined_upgrade_is_a_402_that_leaves_the_member_on_their_plan_with_the_attempt_recorded()
    {
        var platinum = await PlanAsync("Platinum Decline", PlatinumPrice, neurotoxinUnits: 3, facialCredit: 10_000);
        var id = await Clinic.ActiveMemberAsync("Dora", "Declined");
        (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/payment-method", new { paymentMethodId = "pm_card_chargeCustomerFail" })).EnsureSuccessStatusCode();
        var creditsBefore = await BalanceAsync(id, Clinic.NeurotoxinKey);

        var response = await _admin.PostAsJsonAsync($"/api/v1/members/{id}/plan-change", new { planId = platinum, confirm = true, changeId = "chg_dec" });

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.PaymentRequired, "payment_declined");
        Assert.Equal($"plan-change:{id}:chg_dec:1", problem.GetProperty("attemptId").GetString());
        var membership = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}/membership");
        Assert.Equal((Clinic.PremiumPlanId, "active"), (membership.GetProperty("planId").GetString(), membership.GetProperty("status").GetString()));
        var attempt = Assert.Single((await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/charge-attempts"))!);
        Assert.Equal(("plan_change", "soft_decline"), (attempt.GetProperty("purpose").GetString(), attempt.GetProperty("result").GetString()));
        Assert.Equal(creditsBefore, await BalanceAsync(id, Clinic.NeurotoxinKey));
        var events = (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/events"))!;
        Assert.DoesNotContain(events, e => e.GetProperty("type").GetString() == "plan_changed");
    }

    [Fact]
    public async Task A_downgrade_is_scheduled_for_the_next_billing_date_and_shown_on_the_membership()
    {
        var essentials = await PlanAsync("Essentials", 9_900, neurotoxinUnits: null, facialCredit: 2_500);
        var id = await CardMemberAsync("Dee", "Downgrade");

        var scheduled = await PostAsync(id, new { planId = essentials, confirm = true, changeId = "chg_down" });

        Assert.Equal(("scheduled", "downgrade", 0L), (scheduled.GetProperty("status").GetString(), scheduled.GetProperty("direction").GetString(), scheduled.GetProperty("charge").GetProperty("amount").GetInt64()));
        var membership = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}/membership");
        Assert.Equal(Clinic.PremiumPlanId, membership.GetProperty("planId").GetString());
        Assert.Equal(Clinic.PremiumPrice, membership.GetProperty("price").GetProperty("amount").GetInt64());
        Assert.Equal(9_900, membership.GetProperty("nextPrice").GetProperty("amount").GetInt64());
        var pending = membership.GetProperty("pendingPlanChange");
        Assert.Equal((essentials, membership.GetProperty("nextBillingDate").GetString()), (pending.GetProperty("planId").GetString(), pending.GetProperty("effectiveOn").GetString()));
        Assert.Single(await PaymentIntentsFor(id));

        // Asking for the current plan withdraws the downgrade.
        var withdrawn = await PostAsync(id, new { planId = Clinic.PremiumPlanId, confirm = true });
        Assert.Equal("withdrawn", withdrawn.GetProperty("status").GetString());
        var after = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}/membership");
        Assert.Equal(Clinic.PremiumPrice, after.GetProperty("nextPrice").GetProperty("amount").GetInt64());
        Assert.True(!after.TryGetProperty("pendingPlanChange", out var none) || none.ValueKind == JsonValueKind.Null);
    }

    [Fact]
    public async Task Refusals_have_stable_codes_and_change_nothing()
    {
        var platinum = await PlanAsync("Platinum Refusals", PlatinumPrice, neurotoxinUnits: 3, facialCredit: 10_000);
        var noCard = await Clinic.ActiveMemberAsync("Nell", "Nocard");
        var pending = await Clinic.RegisterAsync("Pia", "Pending");
        (await _admin.PostAsJsonAsync($"/api/v1/members/{pending}/enrolment",
            new { planId = Clinic.PremiumPlanId, agreement = new { signedName = "Pia Pending", accepted = true } })).EnsureSuccessStatusCode();
        var before = (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{noCard}/events"))!.Length;

        await ProblemAssert.IsProblem(await _admin.PostAsJsonAsync($"/api/v1/members/{noCard}/plan-change", new { planId = platinum, confirm = true }), HttpStatusCode.Conflict, "no_card_on_file");
        await ProblemAssert.IsProblem(await _admin.PostAsJsonAsync($"/api/v1/members/{noCard}/plan-change", new { planId = Clinic.PremiumPlanId, confirm = true }), HttpStatusCode.Conflict, "same_plan");
        await ProblemAssert.IsProblem(await _admin.PostAsJsonAsync($"/api/v1/members/{noCard}/plan-change", new { planId = "plan_nope", confirm = true }), HttpStatusCode.NotFound, "plan_not_found");
        await ProblemAssert.IsProblem(await _admin.PostAsJsonAsync($"/api/v1/members/{noCard}/plan-change", new { planId = platinum, confirm = true, changeId = "bad:id" }), HttpStatusCode.BadRequest, "invalid_change_id");
        await ProblemAssert.IsProblem(await _admin.PostAsJsonAsync($"/api/v1/members/{pending}/plan-change", new { planId = platinum, confirm = false }), HttpStatusCode.Conflict, "membership_pending_payment");

        Assert.Equal(before, (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{noCard}/events"))!.Length);
    }

    private async Task<JsonElement> PostAsync(string id, object body)
    {
        var response = await _admin.PostAsJsonAsync($"/api/v1/members/{id}/plan-change", body);
        var content = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {content}");
        return JsonDocument.Parse(content).RootElement;
    }

    private async Task<string> CardMemberAsync(string first, string last)
    {
        var id = await Clinic.RegisterAsync(first, last);
        (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/payment-method", new { paymentMethodId = "pm_card_visa" })).EnsureSuccessStatusCode();
        (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/enrolment",
            new { planId = Clinic.PremiumPlanId, agreement = new { signedName = $"{first} {last}", accepted = true } })).EnsureSuccessStatusCode();
        return id;
    }

    private async Task<string> PlanAsync(string name, long price, int? neurotoxinUnits, long facialCredit)
    {
        var benefits = new List<object> { new { kind = "dollar_credit", category = "facial", amount = Clinic.Usd(facialCredit) } };
        if (neurotoxinUnits is { } units)
        {
            benefits.Insert(0, new { kind = "treatment_units", category = "neurotoxin", units });
        }

        var response = await _admin.PostAsJsonAsync("/api/v1/plans", new { name, monthlyPrice = Clinic.Usd(price), minimumTermMonths = 0, benefits });
        var content = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, content);
        return JsonDocument.Parse(content).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Days left in the period from today (home location's calendar) and the period's length.</summary>
    private async Task<(int Remaining, int Days)> DaysLeftAsync(JsonElement membership)
    {
        var clock = await _admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/clock");
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetProperty("now").GetDateTimeOffset(), zone).DateTime);
        var start = DateOnly.Parse(membership.GetProperty("currentPeriodStart").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var next = DateOnly.Parse(membership.GetProperty("nextBillingDate").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        return (next.DayNumber - today.DayNumber, next.DayNumber - start.DayNumber);
    }

    private async Task<long> BalanceAsync(string id, string key)
    {
        var credits = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}/credits");
        return credits.GetProperty("balances").EnumerateArray().Where(b => b.GetProperty("benefitKey").GetString() == key).Sum(b => b.GetProperty("balance").GetInt64());
    }

    private async Task<List<JsonElement>> PaymentIntentsFor(string memberId)
    {
        using var emulator = StripeAccount.ControlClient(fixture.Silo.StripeEmulator);
        var all = await emulator.GetFromJsonAsync<JsonElement>("/_emulator/payment_intents");
        var list = all.ValueKind == JsonValueKind.Array ? all.EnumerateArray() : all.GetProperty("data").EnumerateArray();
        return list.Where(pi => pi.TryGetProperty("metadata", out var metadata)
            && metadata.TryGetProperty("member_id", out var member) && member.GetString() == memberId).ToList();
    }
}
