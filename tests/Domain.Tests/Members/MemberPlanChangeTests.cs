using MedSpa.Billing;
using MedSpa.Domain.Billing;
using MedSpa.Domain.Members;
using MedSpa.Domain.Plans;
using MedSpa.Domain.Tests.Plans;
using MedSpa.Members;
using MedSpa.Plans;

namespace MedSpa.Domain.Tests.Members;

/// <summary>
/// Plan changes and price increases as the member records them. The member enrols on Premium ($199: one neurotoxin,
/// $50 of facial credit) on 10 March 2027 in New York, so the period is [10 Mar, 10 Apr), 31 days.
/// </summary>
public sealed class MemberPlanChangeTests
{
    private static readonly DateTimeOffset EnrolledAt = new(2027, 3, 10, 15, 0, 0, TimeSpan.Zero);

    // 11:00 in New York on 20 March (daylight saving began on the 14th): 21 of the period's 31 days are left.
    private static readonly DateTimeOffset ChangeAt = new(2027, 3, 20, 15, 0, 0, TimeSpan.Zero);
    private static readonly CardOnFile Visa = new("pm_1", "visa", "4242", 12, 2030);

    private static readonly PlanVersion Premium = Version("plan_premium", PlanExamples.Premium);

    // $299: three neurotoxins and $100 of facial credit.
    private static readonly PlanVersion Platinum = Version("plan_platinum", PlanExamples.Premium with
    {
        Name = "Platinum",
        MonthlyPrice = PlanExamples.Usd(29_900),
        Benefits =
        [
            new Benefit(BenefitKind.TreatmentUnits, ServiceId: "svc_tox", Units: 3, Rollover: new Rollover(6)),
            new Benefit(BenefitKind.DollarCredit, Category: "facial", Amount: PlanExamples.Usd(10_000)),
        ],
    });

    // $99: $25 of facial credit, no neurotoxin.
    private static readonly PlanVersion Essentials = Version("plan_essentials", PlanExamples.Premium with
    {
        Name = "Essentials",
        MonthlyPrice = PlanExamples.Usd(9_900),
        Benefits = [new Benefit(BenefitKind.DollarCredit, Category: "facial", Amount: PlanExamples.Usd(2_500))],
    });

    [Fact]
    public void An_upgrade_quotes_the_difference_for_the_days_left_to_the_cent_and_the_extra_credit_rounded_down()
    {
        var quote = Active().QuotePlanChange("mem_1", Platinum, ChangeAt);

        // $100 × 21 ÷ 31 = $67.7419… → $67.74; two more neurotoxins × 21 ÷ 31 = 1.35 → 1; $50 × 21 ÷ 31 = $33.870… → $33.87.
        Assert.Equal((PlanChangeStatus.Quoted, PlanChangeDirection.Upgrade, 6_774L, 21, 31), (quote.Status, quote.Direction, quote.Charge.Amount, quote.RemainingDays, quote.DaysInPeriod));
        Assert.Equal([new ExtraCredit("units:svc_tox", BenefitKind.TreatmentUnits, 1), new ExtraCredit("dollars:facial", BenefitKind.DollarCredit, 3_387)], quote.ExtraCredits);
        Assert.Equal(new DateOnly(2027, 3, 20), quote.EffectiveOn);
    }

    [Fact]
    public void An_upgrade_is_journaled_as_a_plan_change_attempt_and_applies_only_when_paid()
    {
        var member = Active();

        var events = member.ConfirmPlanChange("mem_1", "chg_a", Platinum, ChangeAt);
        member = Fold(member, events);

        var attempt = Assert.IsType<ChargeAttempted>(events[^1]);
        Assert.Equal(("plan-change:mem_1:chg_a:1", ChargePurpose.PlanChange, "chg_a", 6_774L), (attempt.IdempotencyKey, attempt.Purpose, attempt.PlanChangeId, attempt.Amount.Amount));
        Assert.Equal("plan_premium", member.Enrolment!.Plan.PlanId);
        Assert.Equal(PlanChangeStatus.Pending, member.PlanChangeOutcome("mem_1", "chg_a", ChangeAt).Status);

        member = Fold(member, member.ResolveCharge(attempt.AttemptId, ChargeResult.Succeeded, "pi_up", null, null, ChangeAt, DunningPolicy.Default));

        Assert.Equal(("plan_platinum", 10, MembershipStatus.Active), (member.Enrolment!.Plan.PlanId, member.Enrolment.AnchorDay, member.Status));
        Assert.Equal(new BillingPeriod(new DateOnly(2027, 3, 10), new DateOnly(2027, 4, 10)), member.PaidPeriod);
        Assert.Equal(2, member.Credits.Available("units:svc_tox", ChangeAt));
        Assert.Equal(5_000 + 3_387, member.Credits.Available("dollars:facial", ChangeAt));
        // The extra credit follows the new plan's rules: Platinum's neurotoxin rolls over, its facial credit does not.
        var extraLots = member.Credits.Lots.Where(l => l.GrantedAt == ChangeAt).ToDictionary(l => l.BenefitKey);
        Assert.Null(extraLots["units:svc_tox"].ExpiresAt);
        Assert.Equal(new DateTimeOffset(2027, 4, 10, 13, 0, 0, TimeSpan.Zero), extraLots["dollars:facial"].ExpiresAt);
        Assert.Equal(6_774, member.Payments[^1].Amount.Amount);
        Assert.Equal(PlanChangeStatus.Applied, member.PlanChangeOutcome("mem_1", "chg_a", ChangeAt).Status);
        Assert.Equal(PlanExamples.Usd(29_900), member.PriceFor(new DateOnly(2027, 4, 10)));

        // The same change again records nothing, and a second answer to the charge applies nothing twice.
        Assert.Empty(member.ConfirmPlanChange("mem_1", "chg_a", Platinum, ChangeAt));
        Assert.Empty(member.ResolveCharge(attempt.AttemptId, ChargeResult.Succeeded, "pi_up", null, null, ChangeAt, DunningPolicy.Default));
    }

    [Fact]
    public void A_declined_upgrade_keeps_the_plan_and_the_attempt_and_a_retry_is_attempt_two()
    {
        var member = Fold(Active(), Active().ConfirmPlanChange("mem_1", "chg_a", Platinum, ChangeAt));
        var attemptId = member.UnresolvedAttempt!.AttemptId;

        member = Fold(member, member.ResolveCharge(attemptId, ChargeResult.SoftDecline, "pi_no", "insufficient_funds", "No funds.", ChangeAt, DunningPolicy.Default));

        Assert.Equal(("plan_premium", MembershipStatus.Active), (member.Enrolment!.Plan.PlanId, member.Status));
        var outcome = member.PlanChangeOutcome("mem_1", "chg_a", ChangeAt);
        Assert.Equal((PlanChangeStatus.Declined, "insufficient_funds"), (outcome.Status, outcome.DeclineCode));
        Assert.Single(member.ChargeAttempts);
        var retry = Assert.IsType<ChargeAttempted>(member.ConfirmPlanChange("mem_1", "chg_a", Platinum, ChangeAt)[^1]);
        Assert.Equal("plan-change:mem_1:chg_a:2", retry.AttemptId);
    }

    [Fact]
    public void An_upgrade_needs_a_card_and_an_active_membership_and_a_plan_sold_at_home()
    {
        Assert.Equal("no_card_on_file", Refusal(() => Active(card: false).ConfirmPlanChange("mem_1", "chg_a", Platinum, ChangeAt)));
        Assert.Equal("membership_pending_payment", Refusal(() => Enrolled(card: true).ConfirmPlanChange("mem_1", "chg_a", Platinum, ChangeAt)));
        Assert.Equal("same_plan", Refusal(() => Active().QuotePlanChange("mem_1", Premium, ChangeAt)));
        var bayside = Platinum with { Terms = Platinum.Terms with { LocationIds = ["loc_bayside"] } };
        Assert.Equal("plan_not_sold_here", Refusal(() => Active().QuotePlanChange("mem_1", bayside, ChangeAt)));
        Assert.Equal("period_not_paid", Refusal(() => Active().QuotePlanChange("mem_1", Platinum, new DateTimeOffset(2027, 4, 11, 15, 0, 0, TimeSpan.Zero))));
        Assert.Equal("change_id_reused", Refusal(() => Fold(Active(), Active().ConfirmPlanChange("mem_1", "chg_a", Platinum, ChangeAt))
            .ConfirmPlanChange("mem_1", "chg_a", Essentials, ChangeAt)));
    }

    [Fact]
    public void A_downgrade_waits_for_the_next_billing_date_and_that_periods_credits_follow_the_new_plan()
    {
        var member = Active();

        var events = member.ConfirmPlanChange("mem_1", "chg_down", Essentials, ChangeAt);
        member = Fold(member, events);

        var scheduled = Assert.IsType<PlanChangeScheduled>(Assert.Single(events));
        Assert.Equal((new DateOnly(2027, 4, 10), 0L), (scheduled.Terms.EffectiveOn, scheduled.Terms.Charge.Amount));
        Assert.Equal("plan_premium", member.Enrolment!.Plan.PlanId);
        Assert.Equal(PlanExamples.Usd(19_900), member.PriceFor(new DateOnly(2027, 3, 10)));
        Assert.Equal(PlanExamples.Usd(9_900), member.PriceFor(new DateOnly(2027, 4, 10)));
        var view = member.Membership("mem_1");
        Assert.Equal((PlanExamples.Usd(9_900), "plan_essentials"), (view.NextPrice, view.PendingPlanChange?.PlanId));

        var renewal = new DateTimeOffset(2027, 4, 10, 13, 0, 0, TimeSpan.Zero);
        var paid = member.PayPeriod(new DateOnly(2027, 4, 10), "pay_april", renewal);
        member = Fold(member, paid);

        Assert.IsType<PlanChanged>(paid[0]);
        Assert.Equal(("plan_essentials", 10), (member.Enrolment!.Plan.PlanId, member.Enrolment.AnchorDay));
        Assert.Null(member.ScheduledPlanChange);
        Assert.DoesNotContain(paid.OfType<CreditsAllocated>(), a => a.BenefitKey == "units:svc_tox");
        Assert.Equal(2_500, Assert.Single(paid.OfType<CreditsAllocated>()).Quantity);
    }

    [Fact]
    public void A_second_request_replaces_a_scheduled_downgrade_and_asking_for_the_current_plan_withdraws_it()
    {
        var basic = Version("plan_basic", Essentials.Terms with { Name = "Basic", MonthlyPrice = PlanExamples.Usd(4_900) });
        var member = Fold(Active(), Active().ConfirmPlanChange("mem_1", "chg_1", Essentials, ChangeAt));

        member = Fold(member, member.ConfirmPlanChange("mem_1", "chg_2", basic, ChangeAt));
        Assert.Equal(("chg_2", PlanExamples.Usd(4_900)), (member.ScheduledPlanChange?.ChangeId, member.PriceFor(new DateOnly(2027, 4, 10))));
        Assert.Equal(PlanChangeStatus.Superseded, member.PlanChangeOutcome("mem_1", "chg_1", ChangeAt).Status);

        member = Fold(member, member.ConfirmPlanChange("mem_1", "chg_3", Premium, ChangeAt));
        Assert.Null(member.ScheduledPlanChange);
        Assert.Equal(PlanChangeStatus.Withdrawn, member.PlanChangeOutcome("mem_1", "chg_3", ChangeAt).Status);
        Assert.Equal(PlanExamples.Usd(19_900), member.PriceFor(new DateOnly(2027, 4, 10)));
        Assert.Equal("same_plan", Refusal(() => member.ConfirmPlanChange("mem_1", "chg_4", Premium, ChangeAt)));
    }

    [Fact]
    public void A_price_increase_applies_from_its_effective_date_only_once_confirmed()
    {
        var member = Active();
        var notice = new PriceIncreaseNotice("pchg_1", "plan_premium", PlanExamples.Usd(21_900), 30);

        var events = member.NotifyPriceIncrease(notice, ChangeAt);
        member = Fold(member, events);

        // Told on 20 March: 30 days on is 19 April, after the 10 April charge, so 10 May is the first billing date with full notice.
        var notified = Assert.IsType<PriceIncreaseNotified>(events[0]);
        Assert.Equal(new DateOnly(2027, 5, 10), notified.EffectiveFrom);
        var mail = Assert.IsType<NoticeIssued>(events[1]);
        Assert.Equal((NoticeKind.PriceIncrease, "ava@example.com"), (mail.Kind, mail.Email));
        Assert.Empty(member.NotifyPriceIncrease(notice, ChangeAt.AddDays(1)));
        Assert.Equal(PlanExamples.Usd(19_900), member.PriceFor(new DateOnly(2027, 5, 10)));
        Assert.True(member.AwaitsConfirmation("pchg_1"));

        member = Fold(member, member.ConfirmPriceIncrease("pchg_1", "portal", ChangeAt));

        Assert.Equal(PlanExamples.Usd(19_900), member.PriceFor(new DateOnly(2027, 4, 10)));
        Assert.Equal(PlanExamples.Usd(21_900), member.PriceFor(new DateOnly(2027, 5, 10)));
        Assert.False(member.AwaitsConfirmation("pchg_1"));
        Assert.Empty(member.ConfirmPriceIncrease("pchg_1", "desk", ChangeAt));
        Assert.Equal("invalid_confirmation_channel", Refusal(() => member.ConfirmPriceIncrease("pchg_1", "fax", ChangeAt)));
        Assert.Equal("price_change_not_found", Refusal(() => member.ConfirmPriceIncrease("pchg_x", "desk", ChangeAt)));
    }

    [Fact]
    public void A_price_increase_of_another_plan_or_no_increase_for_the_member_is_not_notified()
    {
        Assert.Empty(Active().NotifyPriceIncrease(new PriceIncreaseNotice("pchg_1", "plan_platinum", PlanExamples.Usd(39_900), 30), ChangeAt));
        Assert.Empty(Active().NotifyPriceIncrease(new PriceIncreaseNotice("pchg_2", "plan_premium", PlanExamples.Usd(19_900), 30), ChangeAt));
    }

    [Fact]
    public void An_upgrade_charges_the_difference_from_the_price_the_member_actually_pays()
    {
        var member = Active();
        member = Fold(member, member.NotifyPriceIncrease(new PriceIncreaseNotice("pchg_1", "plan_premium", PlanExamples.Usd(21_900), 0), EnrolledAt));
        member = Fold(member, member.ConfirmPriceIncrease("pchg_1", "desk", EnrolledAt));

        // The increase is not in effect in the current period, so the upgrade is still priced from $199.
        Assert.Equal(6_774, member.QuotePlanChange("mem_1", Platinum, ChangeAt).Charge.Amount);
    }

    [Fact]
    public void A_downgrade_ends_the_rolled_over_credit_of_a_benefit_the_new_plan_lacks_when_it_takes_effect_and_says_so_first()
    {
        // Platinum rolls neurotoxin over up to 6; Essentials has none. The clinic's finding: the units rolled on for ever.
        var member = Active(plan: Platinum);
        member = Renew(member, new DateTimeOffset(2027, 4, 10, 13, 0, 0, TimeSpan.Zero));
        Assert.Equal(6, member.Credits.Available("units:svc_tox", new DateTimeOffset(2027, 4, 11, 13, 0, 0, TimeSpan.Zero)));
        var askedAt = new DateTimeOffset(2027, 4, 20, 15, 0, 0, TimeSpan.Zero);

        var quote = member.QuotePlanChange("mem_1", Essentials, askedAt);
        Assert.Equal([new EndingCredit("units:svc_tox", BenefitKind.TreatmentUnits, 6, new DateOnly(2027, 5, 10))], quote.CreditsEnding);
        member = Fold(member, member.ConfirmPlanChange("mem_1", "chg_down", Essentials, askedAt));
        Assert.Equal(6, member.Credits.Available("units:svc_tox", askedAt));

        var renewal = new DateTimeOffset(2027, 5, 10, 13, 0, 0, TimeSpan.Zero);
        var events = RenewEvents(member, renewal);
        member = Fold(member, events);

        Assert.Equal("plan_essentials", member.Enrolment!.Plan.PlanId);
        var dropped = events.OfType<CreditsExpired>().Where(e => e.Reason == ExpiryReason.BenefitDropped).ToList();
        Assert.Equal(6, dropped.Sum(e => e.Quantity));
        Assert.All(dropped, e => Assert.Equal("units:svc_tox", e.BenefitKey));
        Assert.Equal(0, member.Credits.Available("units:svc_tox", renewal));
        member = Renew(member, new DateTimeOffset(2027, 6, 10, 13, 0, 0, TimeSpan.Zero));
        Assert.Equal(0, member.Credits.Available("units:svc_tox", new DateTimeOffset(2027, 6, 11, 13, 0, 0, TimeSpan.Zero)));
        Assert.Equal(2_500, member.Credits.Available("dollars:facial", new DateTimeOffset(2027, 6, 11, 13, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void An_upgrade_to_a_plan_without_a_benefit_keeps_that_benefit_to_the_end_of_the_paid_period()
    {
        // Ultra has no neurotoxin at all: what Premium rolled over is usable until the period the upgrade was paid in ends.
        var ultra = Version("plan_ultra", PlanExamples.Premium with
        {
            Name = "Ultra",
            MonthlyPrice = PlanExamples.Usd(39_900),
            Benefits = [new Benefit(BenefitKind.DollarCredit, Category: "facial", Amount: PlanExamples.Usd(30_000))],
        });
        var member = Active();
        Assert.Equal([new EndingCredit("units:svc_tox", BenefitKind.TreatmentUnits, 1, new DateOnly(2027, 4, 10))], member.QuotePlanChange("mem_1", ultra, ChangeAt).CreditsEnding);
        var events = member.ConfirmPlanChange("mem_1", "chg_up", ultra, ChangeAt);
        member = Fold(member, events);
        member = Fold(member, member.ResolveCharge(events.OfType<ChargeAttempted>().Single().AttemptId, ChargeResult.Succeeded, "pi_up", null, null, ChangeAt, DunningPolicy.Default));

        Assert.Equal(1, member.Credits.Available("units:svc_tox", ChangeAt.AddDays(5)));
        member = Renew(member, new DateTimeOffset(2027, 4, 10, 13, 0, 0, TimeSpan.Zero));
        Assert.Equal(0, member.Credits.Available("units:svc_tox", new DateTimeOffset(2027, 4, 11, 13, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void A_downgrade_whose_first_charge_declines_has_happened_and_is_no_longer_shown_as_coming()
    {
        // The clinic's finding: "to Essential on 2027-01-07" was still on screen on 16 January, the renewal unpaid.
        var member = Active();
        member = Fold(member, member.ConfirmPlanChange("mem_1", "chg_down", Essentials, ChangeAt));
        Assert.Equal(new DateOnly(2027, 4, 10), member.Membership("mem_1").PendingPlanChange!.EffectiveOn);

        var renewal = new DateTimeOffset(2027, 4, 10, 13, 0, 0, TimeSpan.Zero);
        var started = member.StartCharge("mem_1", renewal);
        Assert.Equal(9_900, started.OfType<ChargeAttempted>().Single().Amount.Amount);
        member = Fold(member, started);
        member = Fold(member, member.ResolveCharge(member.UnresolvedAttempt!.AttemptId, ChargeResult.SoftDecline, "pi_no", "insufficient_funds", null, renewal, DunningPolicy.Default));

        var view = member.Membership("mem_1");
        Assert.Equal((MembershipStatus.PastDue, "plan_essentials", (PendingPlanChangeView?)null), (view.Status, view.PlanId, view.PendingPlanChange));
        Assert.Equal(9_900, view.AmountDue!.Amount);
        // Paid later, the period is Essentials' and the switch is not recorded twice.
        var retry = new DateTimeOffset(2027, 4, 13, 13, 0, 0, TimeSpan.Zero);
        var paid = member.StartCharge("mem_1", retry);
        Assert.DoesNotContain(paid, e => e is PlanChanged);
        member = Fold(member, paid);
        var settled = member.ResolveCharge(member.UnresolvedAttempt!.AttemptId, ChargeResult.Succeeded, "pi_ok", null, null, retry, DunningPolicy.Default);
        Assert.DoesNotContain(settled, e => e is PlanChanged);
        Assert.Equal(2_500, Fold(member, settled).Credits.Available("dollars:facial", retry));
    }

    [Fact]
    public void A_downgrade_is_dated_by_the_billing_date_a_pause_moved()
    {
        var member = Active();
        member = Fold(member, member.ConfirmPlanChange("mem_1", "chg_down", Essentials, ChangeAt));
        member = Fold(member, member.Pause(new PauseRequest(Days: 10), ChangeAt.AddDays(1)));
        member = Fold(member, member.Resume(ChangeAt.AddDays(11)));

        Assert.Equal(new DateOnly(2027, 4, 20), member.Membership("mem_1").PendingPlanChange!.EffectiveOn);
    }

    private static IReadOnlyList<MemberEvent> RenewEvents(Member member, DateTimeOffset at)
    {
        var attempt = member.StartCharge("mem_1", at).OfType<ChargeAttempted>().Single();
        var charging = Fold(member, [attempt]);
        return [attempt, .. charging.ResolveCharge(attempt.AttemptId, ChargeResult.Succeeded, "pi_r", null, null, at, DunningPolicy.Default)];
    }

    private static Member Renew(Member member, DateTimeOffset at) => Fold(member, RenewEvents(member, at));

    internal static PlanVersion Version(string planId, PlanTerms terms) =>
        PlanHistory.Create(null, planId, terms, PlanExamples.Catalogue, EnrolledAt).Current;

    internal static Member Enrolled(bool card, PlanVersion? plan = null, DateTimeOffset? at = null)
    {
        var now = at ?? EnrolledAt;
        var member = Fold(Member.Unregistered, Member.Unregistered.Register(
            "mem_1", new NewClient("Ava", "Stone", "ava@example.com", null, "loc_downtown"), Registrar.Staff, PlanExamples.Catalogue.Locations, now));
        if (card)
        {
            member = Fold(member, member.SaveCard("cus_1", Visa, now));
        }

        return Fold(member, member.Enrol(new EnrolmentRequest((plan ?? Premium).PlanId, new AgreementAcceptance("Ava Stone", true)),
            new SignatureContext("desk:frontdesk", null, null), plan ?? Premium, PlanExamples.Catalogue, now));
    }

    internal static Member Active(bool card = true, PlanVersion? plan = null, DateTimeOffset? at = null)
    {
        var member = Enrolled(card, plan, at);
        return Fold(member, member.RecordDeskPayment(new DeskPayment("pay_first", PaymentMethodKind.Cash, member.AmountDue!), at ?? EnrolledAt));
    }

    private static string Refusal(Func<object> decision) => Assert.Throws<CommandRejectedException>(decision).Code;

    internal static Member Fold(Member member, IEnumerable<MemberEvent> events) => events.Aggregate(member, (state, e) => state.Apply(e));
}
