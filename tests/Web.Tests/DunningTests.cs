using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MedSpa.Members;
using MedSpa.Tests;

namespace MedSpa.Web.Tests;

/// <summary>
/// Anniversary billing and the full dunning path, driven only by moving the simulated clock: nobody calls "charge".
/// Cards go through Stripe.net to the emulator; the events, the board and the emulator's own record are checked.
/// </summary>
public sealed class DunningTests(ClinicFixture fixture) : IClassFixture<ClinicFixture>
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private readonly HttpClient _admin = fixture.Silo.AdminClient();
    private Clinic Clinic => fixture.Clinic;

    [Fact]
    public async Task Decline_two_retries_suspension_card_update_reactivation_and_cancellation_of_the_one_who_never_paid()
    {
        var ava = await CardMemberAsync("Ava", "Retry");
        var bo = await CardMemberAsync("Bo", "Lapse");
        foreach (var id in new[] { ava, bo })
        {
            // Attaches fine, declines every charge: the renewal is the first charge it sees.
            await SaveCardAsync(id, "pm_card_chargeCustomerFail");
        }

        var renewal = ChargeInstant(DateOnly.Parse((await _admin.MembershipAsync(ava)).GetProperty("nextBillingDate").GetString()!, CultureInfo.InvariantCulture));

        await _admin.AdvanceClockToAsync(renewal.AddMinutes(1));
        var chased = await BoardLineAsync(ava);
        Assert.Equal("past_due", chased.GetProperty("status").GetString());
        var since = chased.GetProperty("since").GetDateTimeOffset();
        Assert.InRange(since, renewal, renewal.AddMinutes(1));
        Assert.Equal(since.AddHours(24), chased.GetProperty("nextRetryAt").GetDateTimeOffset());
        Assert.Equal(1, chased.GetProperty("failedAttempts").GetInt32());
        Assert.False(string.IsNullOrEmpty(chased.GetProperty("lastDeclineCode").GetString()));
        // The receipt is the first month's, paid at enrolment on the card that worked then.
        Assert.Equal(["payment_receipt", "payment_failed"], await _admin.NoticeKindsAsync(ava));

        await _admin.AdvanceClockToAsync(since.AddHours(24).AddMinutes(1));
        chased = await BoardLineAsync(ava);
        Assert.Equal((2, since.AddHours(72)), (chased.GetProperty("failedAttempts").GetInt32(), chased.GetProperty("nextRetryAt").GetDateTimeOffset()));

        await _admin.AdvanceClockToAsync(since.AddHours(72).AddMinutes(1));
        var suspended = await BoardLineAsync(ava);
        Assert.Equal("suspended", suspended.GetProperty("status").GetString());
        Assert.Equal(["payment_receipt", "payment_failed", "payment_failed", "final_notice_suspended"], await _admin.NoticeKindsAsync(ava));
        Assert.True((await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{ava}/credits")).GetProperty("frozen").GetBoolean());
        var blocked = await _admin.PostAsJsonAsync($"/api/v1/members/{ava}/redemptions",
            new { redemptionId = "red_blocked", benefitKey = Clinic.NeurotoxinKey, quantity = 1 });
        await ProblemAssert.IsProblem(blocked, HttpStatusCode.Conflict, "membership_suspended");
        Assert.Equal(
            ["succeeded", "soft_decline", "soft_decline", "soft_decline"],
            (await AttemptsAsync(ava)).Select(a => a.GetProperty("result").GetString()));

        // Ava gives a working card: charged at once, active, this period's credits allocated, off the board.
        var back = await SaveCardAsync(ava, "pm_card_visa");
        Assert.Equal("active", back.GetProperty("status").GetString());
        var credits = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{ava}/credits");
        Assert.False(credits.GetProperty("frozen").GetBoolean());
        Assert.Contains(credits.GetProperty("balances").EnumerateArray(), b => b.GetProperty("benefitKey").GetString() == Clinic.NeurotoxinKey && b.GetProperty("balance").GetInt64() == 2);
        Assert.DoesNotContain(await BoardAsync(), line => line.GetProperty("memberId").GetString() == ava);
        Assert.Equal("payment_receipt", (await _admin.NoticeKindsAsync(ava))[^1]);

        // Bo never acts: thirty days suspended, the membership is cancelled as involuntary churn.
        var cancelAt = (await BoardLineAsync(bo)).GetProperty("cancelAt").GetDateTimeOffset();
        await _admin.AdvanceClockToAsync(cancelAt.AddMinutes(1));
        Assert.Equal("cancelled", (await _admin.MembershipAsync(bo)).GetProperty("status").GetString());
        var cancellation = (await _admin.EventsAsync(bo)).Single(e => e.Type == "membership_cancelled").Payload;
        Assert.Equal(("payment_failed", true), (cancellation.GetProperty("reason").GetString(), cancellation.GetProperty("involuntary").GetBoolean()));
        Assert.Equal("cancelled_for_non_payment", (await _admin.NoticeKindsAsync(bo))[^1]);
        Assert.DoesNotContain(await BoardAsync(), line => line.GetProperty("memberId").GetString() == bo);
        Assert.All((await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{bo}/credits")).GetProperty("balances").EnumerateArray(),
            b => Assert.Equal(0, b.GetProperty("balance").GetInt64()));

        // Meanwhile Ava's next anniversary was charged on the new card with no one asking.
        Assert.Equal("active", (await _admin.MembershipAsync(ava)).GetProperty("status").GetString());
        var paid = (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{ava}/payments"))!;
        Assert.Equal(3, paid.Length);
        Assert.Equal(paid.Length, (await SucceededPaymentIntentsAsync(ava)).Count);
        Assert.Equal(paid.Length, (await _admin.NoticeKindsAsync(ava)).Count(n => n == "payment_receipt"));
    }

    [Fact]
    public async Task A_jump_over_two_anniversaries_charges_each_once_in_order_and_a_repeated_wake_does_nothing()
    {
        var id = await CardMemberAsync("Cy", "Jump");
        var first = DateOnly.Parse((await _admin.MembershipAsync(id)).GetProperty("nextBillingDate").GetString()!, CultureInfo.InvariantCulture);
        var anchor = (await _admin.MembershipAsync(id)).GetProperty("anchorDay").GetInt32();
        var second = new DateOnly(first.AddMonths(1).Year, first.AddMonths(1).Month, Math.Min(anchor, DateTime.DaysInMonth(first.AddMonths(1).Year, first.AddMonths(1).Month)));

        await _admin.AdvanceClockToAsync(ChargeInstant(second).AddHours(1));

        var attempts = await AttemptsAsync(id);
        Assert.Equal(
            [first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), second.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)],
            attempts.Skip(1).Select(a => a.GetProperty("periodStart").GetString()));
        Assert.All(attempts, a => Assert.Equal("succeeded", a.GetProperty("result").GetString()));
        Assert.Equal(3, (await SucceededPaymentIntentsAsync(id)).Count);

        // Deliveries of earlier notices (notice_sent) land whenever the mail server answers; a wake's own records are the rest.
        var before = (await _admin.EventsAsync(id)).Count(e => e.Type != "notice_sent");
        var member = fixture.Silo.Grains.GetGrain<IMemberGrain>(id);
        var now = (await _admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/clock")).GetProperty("now").GetDateTimeOffset();
        await member.WakeAsync(now);
        await member.WakeAsync(now);
        Assert.Equal(before, (await _admin.EventsAsync(id)).Count(e => e.Type != "notice_sent"));
    }

    [Fact]
    public async Task A_charge_whose_answer_was_lost_is_settled_by_the_billing_run_finding_it_not_by_charging_again()
    {
        var id = await Clinic.RegisterAsync("Lou", "Lost");
        await SaveCardAsync(id, "pm_card_visa");
        using var emulator = StripeAccount.ControlClient(fixture.Silo.StripeEmulator);
        (await emulator.PostAsJsonAsync("/_emulator/faults", new { kind = "500_after", path = "/v1/payment_intents", method = "POST", count = 1 })).EnsureSuccessStatusCode();

        var enrolled = await (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/enrolment",
            new { planId = Clinic.PremiumPlanId, agreement = new { signedName = "Lou Lost", accepted = true } }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("pending_payment", enrolled.GetProperty("status").GetString());
        var open = Assert.Single(await AttemptsAsync(id));
        Assert.True(!open.TryGetProperty("result", out var unknown) || unknown.ValueKind == JsonValueKind.Null);
        Assert.Single(await SucceededPaymentIntentsAsync(id));

        var now = (await _admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/clock")).GetProperty("now").GetDateTimeOffset();
        await _admin.AdvanceClockToAsync(now.AddMinutes(3));

        Assert.Equal("active", (await _admin.MembershipAsync(id)).GetProperty("status").GetString());
        Assert.Equal("succeeded", Assert.Single(await AttemptsAsync(id)).GetProperty("result").GetString());
        Assert.Single(await SucceededPaymentIntentsAsync(id));
    }

    [Fact]
    public async Task At_the_renewal_a_scheduled_downgrade_and_a_confirmed_price_increase_apply_and_the_unconfirmed_keep_their_price()
    {
        var glow = await PlanAsync("Glow Renewal", 15_000);
        var essentials = await PlanAsync("Essentials Renewal", 9_900);
        var dee = await CardMemberAsync("Dee", "Down", glow);
        var pat = await CardMemberAsync("Pat", "Agrees", glow);
        var uma = await CardMemberAsync("Uma", "Silent", glow);
        (await _admin.PostAsJsonAsync($"/api/v1/members/{dee}/plan-change", new { planId = essentials, confirm = true, changeId = "chg_down" })).EnsureSuccessStatusCode();
        (await _admin.PostAsJsonAsync($"/api/v1/plans/{glow}/price-changes",
            new { newPrice = Clinic.Usd(17_500), noticeDays = 0, changeId = "prc_glow" })).EnsureSuccessStatusCode();
        (await _admin.PostAsJsonAsync($"/api/v1/members/{pat}/price-changes/prc_glow/confirmation", new { confirmedVia = "desk" })).EnsureSuccessStatusCode();

        var renewal = ChargeInstant(DateOnly.Parse((await _admin.MembershipAsync(pat)).GetProperty("nextBillingDate").GetString()!, CultureInfo.InvariantCulture));
        await _admin.AdvanceClockToAsync(renewal.AddMinutes(5));

        Assert.Equal([15_000, 17_500], (await AttemptsAsync(pat)).Select(a => a.GetProperty("amount").GetProperty("amount").GetInt64()));
        Assert.Equal([15_000, 15_000], (await AttemptsAsync(uma)).Select(a => a.GetProperty("amount").GetProperty("amount").GetInt64()));
        Assert.Equal([15_000, 9_900], (await AttemptsAsync(dee)).Select(a => a.GetProperty("amount").GetProperty("amount").GetInt64()));
        var downgraded = await _admin.MembershipAsync(dee);
        Assert.Equal((essentials, "active"), (downgraded.GetProperty("planId").GetString(), downgraded.GetProperty("status").GetString()));
        var unconfirmed = (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/plans/{glow}/price-changes/prc_glow/unconfirmed"))!;
        Assert.Contains(unconfirmed, line => line.GetProperty("memberId").GetString() == uma);
        Assert.DoesNotContain(unconfirmed, line => line.GetProperty("memberId").GetString() == pat);
    }

    private async Task<string> PlanAsync(string name, long price)
    {
        var response = await _admin.PostAsJsonAsync("/api/v1/plans", new
        {
            name,
            monthlyPrice = Clinic.Usd(price),
            minimumTermMonths = 0,
            benefits = new object[] { new { kind = "dollar_credit", category = "facial", amount = Clinic.Usd(price / 4) } },
        });
        return (await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private async Task<string> CardMemberAsync(string first, string last, string? planId = null)
    {
        var id = await Clinic.RegisterAsync(first, last);
        await SaveCardAsync(id, "pm_card_visa");
        var enrolled = await (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/enrolment",
            new { planId = planId ?? Clinic.PremiumPlanId, agreement = new { signedName = $"{first} {last}", accepted = true } }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("active", enrolled.GetProperty("status").GetString());
        return id;
    }

    private async Task<JsonElement> SaveCardAsync(string id, string paymentMethodId) =>
        await (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/payment-method", new { paymentMethodId }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();

    private static DateTimeOffset ChargeInstant(DateOnly billingDate)
    {
        var local = billingDate.ToDateTime(new TimeOnly(9, 0));
        return new DateTimeOffset(local, NewYork.GetUtcOffset(local));
    }

    private async Task<JsonElement[]> AttemptsAsync(string id) => (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/charge-attempts"))!;

    private async Task<JsonElement[]> BoardAsync() => (await _admin.GetFromJsonAsync<JsonElement[]>("/api/v1/billing/failed-payments"))!;

    private async Task<JsonElement> BoardLineAsync(string id) => (await BoardAsync()).Single(line => line.GetProperty("memberId").GetString() == id);

    private async Task<List<JsonElement>> SucceededPaymentIntentsAsync(string memberId)
    {
        using var emulator = StripeAccount.ControlClient(fixture.Silo.StripeEmulator);
        var all = await emulator.GetFromJsonAsync<JsonElement>("/_emulator/payment_intents");
        var list = all.ValueKind == JsonValueKind.Array ? all.EnumerateArray() : all.GetProperty("data").EnumerateArray();
        return list.Where(pi => pi.TryGetProperty("metadata", out var metadata)
            && metadata.TryGetProperty("member_id", out var member) && member.GetString() == memberId
            && pi.GetProperty("status").GetString() == "succeeded").ToList();
    }
}
