using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MedSpa.Tests;

namespace MedSpa.Web.Tests;

/// <summary>
/// Cancellation, pause, the renewal notice and reactivation over HTTP against the real stack, with time moved only by
/// the simulated clock: the membership ends, resumes and renews by itself.
/// </summary>
public sealed class LifecycleTests(ClinicFixture fixture) : IClassFixture<ClinicFixture>
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private readonly HttpClient _admin = fixture.Silo.AdminClient();
    private Clinic Clinic => fixture.Clinic;

    [Fact]
    public async Task A_cancellation_inside_the_term_is_quoted_then_billed_to_the_term_end_where_the_membership_ends_and_its_credits_expire()
    {
        var id = await CardMemberAsync("Cam", "Leaves");
        var before = await DecisionsAsync(id);

        var quote = await _admin.PostOkAsync($"/api/v1/members/{id}/cancellation", new { reason = "relocation", confirm = false });
        var termEnd = DateOnly.Parse((await _admin.MembershipAsync(id)).GetProperty("termEnd").GetString()!, CultureInfo.InvariantCulture);
        Assert.Equal("quoted", quote.GetProperty("stage").GetString());
        Assert.Equal(termEnd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), quote.GetProperty("effectiveOn").GetString());
        var dates = quote.GetProperty("billingDates").EnumerateArray().Select(d => d.GetString()).ToList();
        Assert.Equal(5, dates.Count);
        Assert.Equal(Clinic.PremiumPrice * dates.Count, quote.GetProperty("remainingObligation").GetProperty("amount").GetInt64());
        Assert.Equal(["continue_to_term_end"], quote.GetProperty("options").EnumerateArray().Select(o => o.GetString()));
        Assert.Equal(before, await DecisionsAsync(id));

        await ProblemAssert.IsProblem(await _admin.PostAsJsonAsync($"/api/v1/members/{id}/cancellation", new { confirm = true }), HttpStatusCode.BadRequest, "cancellation_reason_required");
        await ProblemAssert.IsProblem(await _admin.PostAsJsonAsync($"/api/v1/members/{id}/cancellation", new { reason = "other", confirm = true }), HttpStatusCode.BadRequest, "cancellation_note_required");
        await ProblemAssert.IsProblem(await _admin.PostAsJsonAsync($"/api/v1/members/{id}/cancellation", new { reason = "price", confirm = true, option = "buy_out" }), HttpStatusCode.BadRequest, "cancellation_option_not_allowed");

        var pending = await _admin.PostOkAsync($"/api/v1/members/{id}/cancellation", new { reason = "relocation", note = "Moving to Denver", confirm = true });
        Assert.Equal("pending", pending.GetProperty("stage").GetString());
        Assert.Equal("pending", (await _admin.MembershipAsync(id)).GetProperty("pendingCancellation").GetProperty("stage").GetString());

        // The day before the term end the member is still active and can still redeem.
        await _admin.AdvanceClockToAsync(LocalInstant(termEnd.AddDays(-1), 12));
        Assert.Equal("active", (await _admin.MembershipAsync(id)).GetProperty("status").GetString());

        await _admin.AdvanceClockToAsync(LocalInstant(termEnd, 0).AddMinutes(1));
        Assert.Equal("cancelled", (await _admin.MembershipAsync(id)).GetProperty("status").GetString());
        var attempts = (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/charge-attempts"))!;
        Assert.Equal(dates, attempts.Skip(1).Select(a => a.GetProperty("periodStart").GetString()));
        var cancelled = (await _admin.EventsAsync(id)).Single(e => e.Type == "membership_cancelled").Payload;
        Assert.Equal(("relocation", false), (cancelled.GetProperty("reason").GetString(), cancelled.GetProperty("involuntary").GetBoolean()));
        var notices = await _admin.NoticeKindsAsync(id);
        Assert.Contains("cancellation_confirmed", notices);
        Assert.Equal("membership_ended", notices[^1]);
        Assert.DoesNotContain("term_renewal", notices);
        Assert.All((await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}/credits")).GetProperty("balances").EnumerateArray(),
            b => Assert.Equal(0, b.GetProperty("balance").GetInt64()));
        await ProblemAssert.IsProblem(await _admin.DeleteAsync($"/api/v1/members/{id}/cancellation"), HttpStatusCode.Conflict, "already_cancelled");
    }

    [Fact]
    public async Task A_pending_cancellation_is_withdrawn_with_delete()
    {
        var id = await CardMemberAsync("Wes", "Stays");
        await _admin.PostOkAsync($"/api/v1/members/{id}/cancellation", new { reason = "price", confirm = true });

        var response = await _admin.DeleteAsync($"/api/v1/members/{id}/cancellation");
        var withdrawn = await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("withdrawn", withdrawn.GetProperty("stage").GetString());
        var membership = await _admin.MembershipAsync(id);
        Assert.True(!membership.TryGetProperty("pendingCancellation", out var p) || p.ValueKind == JsonValueKind.Null);
        Assert.Equal("cancellation_withdrawn", (await _admin.NoticeKindsAsync(id))[^1]);
        await ProblemAssert.IsProblem(await _admin.PostAsJsonAsync($"/api/v1/members/{id}/cancellation", new { withdraw = true }), HttpStatusCode.Conflict, "no_pending_cancellation");
    }

    [Fact]
    public async Task A_pause_freezes_the_paid_month_and_the_next_charge_moves_by_the_days_paused()
    {
        var id = await CardMemberAsync("Pia", "Pause");
        await ProblemAssert.IsProblem(await _admin.PostAsJsonAsync($"/api/v1/members/{id}/pause", new { days = 61 }), HttpStatusCode.BadRequest, "pause_too_long");
        await ProblemAssert.IsProblem(await _admin.PostAsJsonAsync($"/api/v1/members/{id}/resume", new { }), HttpStatusCode.Conflict, "not_paused");

        // Ten days into her paid month: the pause freezes that month, and its end (the next charge) moves by the 45 days.
        var enrolled = await _admin.MembershipAsync(id);
        var periodStart = DateOnly.Parse(enrolled.GetProperty("currentPeriodStart").GetString()!, CultureInfo.InvariantCulture);
        var periodEnd = DateOnly.Parse(enrolled.GetProperty("nextBillingDate").GetString()!, CultureInfo.InvariantCulture);
        await _admin.AdvanceClockToAsync(LocalInstant(periodStart.AddDays(10), 12));
        var nextCharge = periodEnd.AddDays(45);

        var paused = await _admin.PostOkAsync($"/api/v1/members/{id}/pause", new { days = 45 });
        Assert.Equal("paused", paused.GetProperty("status").GetString());
        var until = DateOnly.Parse(paused.GetProperty("pausedUntil").GetString()!, CultureInfo.InvariantCulture);
        Assert.Equal(nextCharge.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), paused.GetProperty("nextBillingDate").GetString());
        Assert.True((await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}/credits")).GetProperty("frozen").GetBoolean());
        await ProblemAssert.IsProblem(await _admin.PostAsJsonAsync($"/api/v1/members/{id}/pause", new { days = 5 }), HttpStatusCode.Conflict, "already_paused");

        // The old anniversary inside the pause is not charged, and neither is the resume: the frozen month runs on.
        await _admin.AdvanceClockToAsync(LocalInstant(until, 9).AddMinutes(1));
        var resumed = await _admin.MembershipAsync(id);
        Assert.Equal("active", resumed.GetProperty("status").GetString());
        Assert.Equal(nextCharge.Day, resumed.GetProperty("anchorDay").GetInt32());
        Assert.Single((await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/charge-attempts"))!);
        Assert.False((await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}/credits")).GetProperty("frozen").GetBoolean());
        Assert.Equal(["membership_paused", "membership_resumed"], (await _admin.NoticeKindsAsync(id)).Where(n => n.StartsWith("membership_", StringComparison.Ordinal)));

        // The next charge is a whole month at the full price, on the moved date, and in the emulator's record.
        await _admin.AdvanceClockToAsync(LocalInstant(nextCharge, 9).AddMinutes(1));
        var attempts = (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/charge-attempts"))!;
        Assert.Equal((nextCharge.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "succeeded", Clinic.PremiumPrice),
            (attempts[^1].GetProperty("periodStart").GetString(), attempts[^1].GetProperty("result").GetString(), attempts[^1].GetProperty("amount").GetProperty("amount").GetInt64()));
        Assert.Equal([Clinic.PremiumPrice, Clinic.PremiumPrice], await EmulatorRecord.SucceededAmountsAsync(fixture.Silo.StripeEmulator, id, "charge:"));

        await ProblemAssert.IsProblem(await _admin.PostAsJsonAsync($"/api/v1/members/{id}/pause", new { days = 5 }), HttpStatusCode.Conflict, "pause_limit_reached");
    }

    [Fact]
    public async Task The_renewal_notice_comes_30_days_before_the_term_end_and_a_lapsed_member_comes_back_on_the_offer()
    {
        var plan = await PlanAsync();
        var id = await CardMemberAsync("Rey", "Returns", plan);
        var termEnd = DateOnly.Parse((await _admin.MembershipAsync(id)).GetProperty("termEnd").GetString()!, CultureInfo.InvariantCulture);

        await _admin.AdvanceClockToAsync(LocalInstant(termEnd.AddDays(-30), 9).AddMinutes(1));
        Assert.Equal(["term_renewal"], (await _admin.NoticeKindsAsync(id)).Where(n => n == "term_renewal"));

        // After the term the cancellation takes effect at the end of the period.
        await _admin.AdvanceClockToAsync(LocalInstant(termEnd, 12));
        var pending = await _admin.PostOkAsync($"/api/v1/members/{id}/cancellation", new { reason = "not_using", confirm = true });
        Assert.True(pending.GetProperty("termMet").GetBoolean());
        var effectiveOn = DateOnly.Parse(pending.GetProperty("effectiveOn").GetString()!, CultureInfo.InvariantCulture);
        Assert.True(effectiveOn > termEnd);
        await _admin.AdvanceClockToAsync(LocalInstant(effectiveOn, 12));
        Assert.Equal("cancelled", (await _admin.MembershipAsync(id)).GetProperty("status").GetString());
        Assert.Single(await _admin.NoticeKindsAsync(id), n => n == "term_renewal");

        var offer = await _admin.PostOkAsync($"/api/v1/members/{id}/reactivation-offer", new { });
        Assert.Equal(50, offer.GetProperty("offer").GetProperty("firstMonthDiscountPercent").GetInt32());
        await ProblemAssert.IsProblem(await _admin.PostAsJsonAsync($"/api/v1/members/{id}/reactivation-offer", new { }), HttpStatusCode.Conflict, "offer_already_sent");

        var back = await _admin.PostOkAsync($"/api/v1/members/{id}/reactivation", new { agreement = new { signedName = "Rey Returns", accepted = true } });
        Assert.Equal("active", back.GetProperty("status").GetString());
        var attempts = (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/charge-attempts"))!;
        Assert.Equal(6_000, attempts[^1].GetProperty("amount").GetProperty("amount").GetInt64());
    }

    [Fact]
    public async Task A_buy_out_inside_the_term_charges_the_obligation_once_even_when_the_confirmation_is_retried_then_ends_with_the_period()
    {
        var plan = await BuyOutPlanAsync("Glow Buy-Out");
        var id = await CardMemberAsync("Bea", "Buysout", plan);
        var quote = await _admin.PostOkAsync($"/api/v1/members/{id}/cancellation", new { reason = "relocation", confirm = false, option = "buy_out" });
        var obligation = quote.GetProperty("remainingObligation").GetProperty("amount").GetInt64();
        Assert.True(obligation > 0, quote.ToString());
        Assert.Equal(["continue_to_term_end", "buy_out"], quote.GetProperty("options").EnumerateArray().Select(o => o.GetString()));
        Assert.Equal(obligation, quote.GetProperty("buyOutCharge").GetProperty("amount").GetInt64());
        var effectiveOn = quote.GetProperty("effectiveOn").GetString()!;

        var body = new { reason = "relocation", note = "Moving to Denver", confirm = true, option = "buy_out" };
        var pending = await _admin.PostOkAsync($"/api/v1/members/{id}/cancellation", body);
        var again = await _admin.PostOkAsync($"/api/v1/members/{id}/cancellation", body);

        foreach (var view in new[] { pending, again })
        {
            Assert.Equal(("pending", "buy_out", effectiveOn, obligation),
                (view.GetProperty("stage").GetString(), view.GetProperty("option").GetString(), view.GetProperty("effectiveOn").GetString(), view.GetProperty("buyOutCharge").GetProperty("amount").GetInt64()));
        }

        var buyOut = Assert.Single(await PaymentIntentsForAsync(id), pi => pi.GetProperty("metadata").GetProperty("attempt_id").GetString()!.StartsWith("buy-out:", StringComparison.Ordinal));
        Assert.Equal((obligation, "succeeded"), (buyOut.GetProperty("amount").GetInt64(), buyOut.GetProperty("status").GetString()));
        var attempt = Assert.Single(await AttemptsAsync(id), a => a.GetProperty("purpose").GetString() == "buy_out");
        Assert.Equal(($"buy-out:{id}:{effectiveOn}:1", "succeeded"), (attempt.GetProperty("attemptId").GetString(), attempt.GetProperty("result").GetString()));
        var payment = Assert.Single(await PaymentsAsync(id), p => p.GetProperty("amount").GetProperty("amount").GetInt64() == obligation);
        Assert.Equal(("subscription", "succeeded", "minimum-term buy-out"),
            (payment.GetProperty("category").GetString(), payment.GetProperty("status").GetString(), payment.GetProperty("description").GetString()));
        var notices = (await _admin.EventsAsync(id)).Where(e => e.Type == "notice_issued").Select(e => e.Payload).ToList();
        Assert.Equal(["cancellation_confirmed", "payment_receipt"], notices.TakeLast(2).Select(n => n.GetProperty("kind").GetString()));
        var confirmed = notices[^2];
        Assert.Contains((obligation / 100m).ToString("0.00", CultureInfo.InvariantCulture), confirmed.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Single(await _admin.EventsAsync(id), e => e.Type == "cancellation_requested");
        await ProblemAssert.IsProblem(await _admin.DeleteAsync($"/api/v1/members/{id}/cancellation"), HttpStatusCode.Conflict, "cancellation_bought_out");

        // Nothing more is charged: the membership ends with the period already paid.
        var attemptsBefore = (await AttemptsAsync(id)).Count;
        await _admin.AdvanceClockToAsync(LocalInstant(DateOnly.Parse(effectiveOn, CultureInfo.InvariantCulture), 12));
        Assert.Equal("cancelled", (await _admin.MembershipAsync(id)).GetProperty("status").GetString());
        Assert.Equal(attemptsBefore, (await AttemptsAsync(id)).Count);
        Assert.Equal(2, (await PaymentIntentsForAsync(id)).Count);
    }

    [Fact]
    public async Task A_buy_out_whose_answer_was_lost_is_a_503_and_the_retried_confirmation_settles_the_same_charge()
    {
        var plan = await BuyOutPlanAsync("Glow Buy-Out Lost");
        var id = await CardMemberAsync("Lou", "Lostanswer", plan);
        var body = new { reason = "price", confirm = true, option = "buy_out" };
        using var emulator = StripeAccount.ControlClient(fixture.Silo.StripeEmulator);
        (await emulator.PostAsJsonAsync("/_emulator/faults", new { kind = "500_after", path = "/v1/payment_intents", method = "POST", count = 1 })).EnsureSuccessStatusCode();

        var lost = await ProblemAssert.IsProblem(await _admin.PostAsJsonAsync($"/api/v1/members/{id}/cancellation", body), HttpStatusCode.ServiceUnavailable, "payment_outcome_unknown");
        var attemptId = lost.GetProperty("attemptId").GetString()!;
        Assert.StartsWith($"buy-out:{id}:", attemptId, StringComparison.Ordinal);

        var settled = await _admin.PostOkAsync($"/api/v1/members/{id}/cancellation", body);

        Assert.Equal(("pending", "buy_out"), (settled.GetProperty("stage").GetString(), settled.GetProperty("option").GetString()));
        var attempt = Assert.Single(await AttemptsAsync(id), a => a.GetProperty("purpose").GetString() == "buy_out");
        Assert.Equal((attemptId, "succeeded"), (attempt.GetProperty("attemptId").GetString(), attempt.GetProperty("result").GetString()));
        Assert.Single(await PaymentIntentsForAsync(id), pi => pi.GetProperty("metadata").GetProperty("attempt_id").GetString() == attemptId);
        Assert.Equal(2, (await PaymentIntentsForAsync(id)).Count);
    }

    [Fact]
    public async Task A_declined_buy_out_is_a_402_that_leaves_the_member_active_with_nothing_pending_and_a_new_card_can_try_again()
    {
        var plan = await BuyOutPlanAsync("Glow Buy-Out Decline");
        var id = await CardMemberAsync("Dex", "Declines", plan);
        (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/payment-method", new { paymentMethodId = "pm_card_chargeCustomerFail" })).EnsureSuccessStatusCode();
        var body = new { reason = "results", confirm = true, option = "buy_out" };
        var eventsBefore = (await _admin.EventsAsync(id)).Count;

        var problem = await ProblemAssert.IsProblem(await _admin.PostAsJsonAsync($"/api/v1/members/{id}/cancellation", body), HttpStatusCode.PaymentRequired, "payment_declined");

        Assert.StartsWith($"buy-out:{id}:", problem.GetProperty("attemptId").GetString(), StringComparison.Ordinal);
        var membership = await _admin.MembershipAsync(id);
        Assert.Equal("active", membership.GetProperty("status").GetString());
        Assert.True(!membership.TryGetProperty("pendingCancellation", out var none) || none.ValueKind == JsonValueKind.Null);
        var attempt = Assert.Single(await AttemptsAsync(id), a => a.GetProperty("purpose").GetString() == "buy_out");
        Assert.NotEqual("succeeded", attempt.GetProperty("result").GetString());
        // Deliveries of earlier notices may land meanwhile; nothing else may.
        Assert.Equal(["charge_attempted", "charge_resolved"], (await _admin.EventsAsync(id)).Skip(eventsBefore).Select(e => e.Type).Where(t => t != "notice_sent"));
        await ProblemAssert.IsProblem(await _admin.DeleteAsync($"/api/v1/members/{id}/cancellation"), HttpStatusCode.Conflict, "no_pending_cancellation");

        (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/payment-method", new { paymentMethodId = "pm_card_visa" })).EnsureSuccessStatusCode();
        var paid = await _admin.PostOkAsync($"/api/v1/members/{id}/cancellation", body);
        Assert.Equal("pending", paid.GetProperty("stage").GetString());
        Assert.EndsWith(":2", (await AttemptsAsync(id))[^1].GetProperty("attemptId").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_buy_out_without_a_card_on_file_is_refused_and_records_nothing()
    {
        var plan = await BuyOutPlanAsync("Glow Buy-Out Desk");
        var id = await Clinic.RegisterAsync("Nia", "Nocard");
        (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/enrolment", new { planId = plan, agreement = new { signedName = "Nia Nocard", accepted = true } })).EnsureSuccessStatusCode();
        (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/desk-payments",
            new { paymentId = $"pay_{Guid.NewGuid():N}", method = "card_terminal", amount = Clinic.Usd(BuyOutPrice) })).EnsureSuccessStatusCode();
        var before = await DecisionsAsync(id);

        var refused = await ProblemAssert.IsProblem(
            await _admin.PostAsJsonAsync($"/api/v1/members/{id}/cancellation", new { reason = "price", confirm = true, option = "buy_out" }), HttpStatusCode.Conflict, "no_card_on_file");

        Assert.Contains("continue_to_term_end", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await DecisionsAsync(id));
    }

    [Fact]
    public async Task A_plan_that_sends_its_offer_after_14_days_sends_it_by_itself_and_the_member_comes_back_on_it()
    {
        var plan = await PlanAsync("Glow Auto Offer", minimumTermMonths: 0, sendAfterDays: 14);
        var id = await CardMemberAsync("Ola", "Offered", plan);
        var pending = await _admin.PostOkAsync($"/api/v1/members/{id}/cancellation", new { reason = "not_using", confirm = true });
        var endedOn = DateOnly.Parse(pending.GetProperty("effectiveOn").GetString()!, CultureInfo.InvariantCulture);
        await _admin.AdvanceClockToAsync(LocalInstant(endedOn, 12));
        Assert.Equal("cancelled", (await _admin.MembershipAsync(id)).GetProperty("status").GetString());

        var dueAt = LocalInstant(endedOn.AddDays(14), 9);
        await _admin.AdvanceClockToAsync(dueAt.AddMinutes(-1));
        Assert.DoesNotContain(await _admin.EventsAsync(id), e => e.Type == "reactivation_offered");

        await _admin.AdvanceClockToAsync(dueAt.AddMinutes(1));
        var offered = Assert.Single(await _admin.EventsAsync(id), e => e.Type == "reactivation_offered").Payload;
        Assert.Equal(endedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), offered.GetProperty("lapsedOn").GetString());
        Assert.Equal("reactivation_offer", (await _admin.NoticeKindsAsync(id))[^1]);
        await ProblemAssert.IsProblem(await _admin.PostAsJsonAsync($"/api/v1/members/{id}/reactivation-offer", new { }), HttpStatusCode.Conflict, "offer_already_sent");

        // A later wake sends nothing more.
        await _admin.AdvanceClockToAsync(dueAt.AddDays(2));
        Assert.Single(await _admin.EventsAsync(id), e => e.Type == "reactivation_offered");

        var back = await _admin.PostOkAsync($"/api/v1/members/{id}/reactivation", new { agreement = new { signedName = "Ola Offered", accepted = true } });
        Assert.Equal("active", back.GetProperty("status").GetString());
        Assert.Equal(6_000, (await AttemptsAsync(id))[^1].GetProperty("amount").GetProperty("amount").GetInt64());
    }

    private async Task<string> PlanAsync(string name = "Glow Lifecycle", int minimumTermMonths = 2, int? sendAfterDays = null)
    {
        var response = await _admin.PostAsJsonAsync("/api/v1/plans", new
        {
            name,
            monthlyPrice = Clinic.Usd(12_000),
            minimumTermMonths,
            benefits = new object[] { new { kind = "dollar_credit", category = "facial", amount = Clinic.Usd(3_000) } },
            reactivationOffer = new { firstMonthDiscountPercent = 50, sendAfterDays },
        });
        return (await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private const long BuyOutPrice = 12_000;

    /// <summary>A 6-month term the member may buy out, so a cancellation in the first month owes several billing dates.</summary>
    private async Task<string> BuyOutPlanAsync(string name)
    {
        var response = await _admin.PostAsJsonAsync("/api/v1/plans", new
        {
            name,
            monthlyPrice = Clinic.Usd(BuyOutPrice),
            minimumTermMonths = 6,
            benefits = new object[] { new { kind = "dollar_credit", category = "facial", amount = Clinic.Usd(3_000) } },
            cancellation = "buy_out",
        });
        return (await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private async Task<List<JsonElement>> AttemptsAsync(string id) =>
        [.. (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/charge-attempts"))!];

    private async Task<List<JsonElement>> PaymentsAsync(string id) =>
        [.. (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/payments"))!];

    /// <summary>The emulator's own record of what was charged for the member: the judge of "charged once".</summary>
    private async Task<List<JsonElement>> PaymentIntentsForAsync(string memberId)
    {
        using var emulator = StripeAccount.ControlClient(fixture.Silo.StripeEmulator);
        var all = await emulator.GetFromJsonAsync<JsonElement>("/_emulator/payment_intents");
        var list = all.ValueKind == JsonValueKind.Array ? all.EnumerateArray() : all.GetProperty("data").EnumerateArray();
        return list.Where(pi => pi.TryGetProperty("metadata", out var metadata)
            && metadata.TryGetProperty("member_id", out var member) && member.GetString() == memberId).Select(pi => pi.Clone()).ToList();
    }

    private async Task<string> CardMemberAsync(string first, string last, string? planId = null)
    {
        var id = await Clinic.RegisterAsync(first, last);
        (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/payment-method", new { paymentMethodId = "pm_card_visa" })).EnsureSuccessStatusCode();
        var enrolled = await _admin.PostOkAsync($"/api/v1/members/{id}/enrolment",
            new { planId = planId ?? Clinic.PremiumPlanId, agreement = new { signedName = $"{first} {last}", accepted = true } });
        Assert.Equal("active", enrolled.GetProperty("status").GetString());
        return id;
    }

    private static DateTimeOffset LocalInstant(DateOnly date, int hour)
    {
        var local = date.ToDateTime(new TimeOnly(hour, 0));
        return new DateTimeOffset(local, NewYork.GetUtcOffset(local));
    }

    /// <summary>
    /// How many events the member's own decisions recorded: a delivery of an earlier notice (<c>notice_sent</c>) is
    /// appended by the outbox whenever the mail server answers, so it is no sign that a quote recorded something.
    /// </summary>
    private async Task<int> DecisionsAsync(string id) => (await _admin.EventsAsync(id)).Count(e => e.Type != "notice_sent");
}
