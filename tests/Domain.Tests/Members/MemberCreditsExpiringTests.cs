using MedSpa.Billing;
using MedSpa.Domain.Billing;
using MedSpa.Domain.Members;
using MedSpa.Domain.Tests.Plans;
using MedSpa.Members;
using MedSpa.Plans;
using static MedSpa.Domain.Tests.Members.LifecycleExamples;

namespace MedSpa.Domain.Tests.Members;

/// <summary>
/// A week before dated credits lapse the member is told which, how many and when. Ava's Premium period from 10 March
/// 2027 gives a neurotoxin that rolls over (never expires, never told) and $50 of facial credit (lot_2) lapsing at 09:00
/// on 10 April, the renewal: the notice is due at 09:00 on 3 April, New York time.
/// </summary>
public sealed class MemberCreditsExpiringTests
{
    private static readonly DateTimeOffset NoticeAt = Local(2027, 4, 3, 9);
    private static readonly DateTimeOffset FacialLapsesAt = Local(2027, 4, 10, 9);

    [Fact]
    public void The_notice_is_due_at_nine_local_a_week_before_the_lot_lapses_and_says_what_how_much_and_when()
    {
        var member = Active();

        var before = DueWork.At(member.Billing!, NoticeAt.AddMinutes(-1), Policy);
        Assert.DoesNotContain(before.Items, i => i is DueItem.CreditsExpiringNotice);
        Assert.Equal(NoticeAt, before.NextDueAt);
        Assert.Equal([new DueItem.CreditsExpiringNotice(NoticeAt)], DueWork.At(member.Billing!, NoticeAt, Policy).Items);
        Assert.Empty(member.IssueCreditsExpiringNotice(PlanExamples.Catalogue, NoticeAt.AddMinutes(-1)));

        var notice = Assert.IsType<NoticeIssued>(Assert.Single(member.IssueCreditsExpiringNotice(PlanExamples.Catalogue, NoticeAt)));

        Assert.Equal((NoticeKind.CreditsExpiring, "credits-expiring:lot_2", "ava@example.com", NoticeAt), (notice.Kind, notice.NoticeId, notice.Email, notice.OccurredAt));
        Assert.Equal(
            "Some of your credits are about to expire. Expiring at 09:00 on 10 April 2027: 50.00 USD of facial credit. Book a visit to use them before then.",
            notice.Summary);
    }

    [Fact]
    public void A_lot_is_told_once_a_duplicate_wake_or_a_restart_finds_nothing_and_next_months_lot_gets_its_own_notice()
    {
        var issued = Active().IssueCreditsExpiringNotice(PlanExamples.Catalogue, NoticeAt);
        var member = Fold(Active(), issued);

        Assert.Empty(member.IssueCreditsExpiringNotice(PlanExamples.Catalogue, NoticeAt));
        Assert.Empty(member.IssueCreditsExpiringNotice(PlanExamples.Catalogue, NoticeAt.AddDays(3)));
        Assert.DoesNotContain(DueWork.At(member.Billing!, NoticeAt.AddDays(3), Policy).Items, i => i is DueItem.CreditsExpiringNotice);
        // A restarted grain folds the same log, and what was told is in it.
        Assert.Empty(Fold(Active(), issued).Billing!.CreditsExpiring!);

        member = Charge(member, Renewal, ChargeResult.Succeeded, null);
        var may = Local(2027, 5, 3, 9);
        Assert.Equal(may, DueWork.At(member.Billing!, Renewal, Policy).NextDueAt);
        var next = Assert.IsType<NoticeIssued>(Assert.Single(member.IssueCreditsExpiringNotice(PlanExamples.Catalogue, may)));
        // April's allocation: lot_3 is the neurotoxin (rolling, never told), lot_4 the facial credit.
        Assert.Equal("credits-expiring:lot_4", next.NoticeId);
        Assert.Contains("Expiring at 09:00 on 10 May 2027: 50.00 USD of facial credit.", next.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Lots_whose_windows_are_open_share_one_notice_and_a_lot_whose_window_opens_later_gets_its_own()
    {
        // Two units of Neurotoxin for 26 days, bought at noon on 15 March: they lapse at noon on 10 April.
        var shortAddOn = new AddOn("Extra neurotoxin", PlanExamples.Usd(25_000), BenefitKind.TreatmentUnits, "svc_tox", Units: 2, ValidForDays: 26);
        var member = Buy(Active(PlanExamples.WithAddOn(shortAddOn)), Local(2027, 3, 15), "pur_1");

        var notice = Assert.IsType<NoticeIssued>(Assert.Single(member.IssueCreditsExpiringNotice(PlanExamples.Catalogue, NoticeAt)));
        Assert.Equal("credits-expiring:lot_2+lot_3", notice.NoticeId);
        Assert.Equal(
            "Some of your credits are about to expire. Expiring at 09:00 on 10 April 2027: 50.00 USD of facial credit. " +
            "Expiring at 12:00 on 10 April 2027: 2 Neurotoxin treatments. Book a visit to use them before then.",
            notice.Summary);

        // The same add-on bought on 20 March lapses at noon on 15 April: told on the 8th, on its own.
        member = Buy(Active(PlanExamples.WithAddOn(shortAddOn)), Local(2027, 3, 20), "pur_2");
        member = Fold(member, member.IssueCreditsExpiringNotice(PlanExamples.Catalogue, NoticeAt));
        Assert.Equal("credits-expiring:lot_2", member.Notices[^1].NoticeId);
        Assert.Equal(Local(2027, 4, 8, 9), DueWork.At(member.Billing!, NoticeAt, Policy).NextDueAt);
        var later = Assert.IsType<NoticeIssued>(Assert.Single(member.IssueCreditsExpiringNotice(PlanExamples.Catalogue, Local(2027, 4, 8, 9))));
        Assert.Equal("credits-expiring:lot_3", later.NoticeId);
        Assert.Contains("Expiring at 12:00 on 15 April 2027: 2 Neurotoxin treatments.", later.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void What_is_left_of_a_lot_is_told_and_a_lot_used_up_or_already_lapsed_is_not()
    {
        var member = Active();
        var partly = Fold(member, member.Redeem(new RedemptionRequest("red_1", "dollars:facial", 2_000), Local(2027, 3, 20)));
        Assert.Contains("30.00 USD of facial credit", Assert.IsType<NoticeIssued>(Assert.Single(partly.IssueCreditsExpiringNotice(PlanExamples.Catalogue, NoticeAt))).Summary, StringComparison.Ordinal);

        var usedUp = Fold(member, member.Redeem(new RedemptionRequest("red_1", "dollars:facial", 5_000), Local(2027, 3, 20)));
        Assert.Empty(usedUp.Billing!.CreditsExpiring!);
        Assert.Empty(usedUp.IssueCreditsExpiringNotice(PlanExamples.Catalogue, NoticeAt));

        // A wake that only comes once the lot has lapsed has nothing useful to say.
        Assert.DoesNotContain(DueWork.At(member.Billing!, FacialLapsesAt, Policy).Items, i => i is DueItem.CreditsExpiringNotice);
        Assert.Empty(member.IssueCreditsExpiringNotice(PlanExamples.Catalogue, FacialLapsesAt));
    }

    [Fact]
    public void Nothing_is_told_while_the_credits_cannot_be_used_paused_or_suspended_and_frozen()
    {
        var paused = Paused(Local(2027, 3, 20));
        Assert.Empty(paused.Billing!.CreditsExpiring!);
        Assert.Empty(paused.IssueCreditsExpiringNotice(PlanExamples.Catalogue, NoticeAt));

        var suspended = Suspended();
        Assert.NotNull(suspended.Credits.FrozenSince);
        Assert.Empty(suspended.Billing!.CreditsExpiring!);
        // Even if the state said otherwise, billing would not wake a suspended member for it.
        var state = suspended.Billing with { CreditsExpiring = [new NoticeWindow(NoticeAt, FacialLapsesAt)] };
        Assert.DoesNotContain(DueWork.At(state, NoticeAt, Policy).Items, i => i is DueItem.CreditsExpiringNotice);
    }

    [Fact]
    public void Back_from_a_pause_the_lot_lapses_later_and_is_told_a_week_before_its_new_expiry()
    {
        // Paused at noon on 20 March for 30 days, resumed by itself at 09:00 on 19 April: the period it lapses with now
        // ends on 10 May, and the lot lapses with it, at that charge.
        var (pausedAt, resumedAt) = (Local(2027, 3, 20), Local(2027, 4, 19, 9));
        var member = Paused(pausedAt);
        member = Fold(member, member.Resume(resumedAt, automatically: true));

        var window = Assert.Single(member.Billing!.CreditsExpiring!);
        Assert.Equal(new NoticeWindow(Local(2027, 5, 3, 9), Local(2027, 5, 10, 9)), window);
    }

    [Fact]
    public void With_a_cancellation_pending_lots_lapse_when_the_membership_ends_and_are_told_a_week_before()
    {
        // A one-month term is met by April; cancelled on 20 April, the membership ends with the period, at the start of 10 May.
        var member = Active(PlanExamples.Premium with { MinimumTermMonths = 1 });
        member = Charge(member, Renewal, ChargeResult.Succeeded, null);
        member = Fold(member, member.ConfirmCancellation(new CancellationRequest("not_using", Confirm: true), Local(2027, 4, 20)));
        Assert.Equal(new DateOnly(2027, 5, 10), member.PendingCancellation!.EffectiveOn);

        var window = Assert.Single(member.Billing!.CreditsExpiring!);
        Assert.Equal(new NoticeWindow(Local(2027, 5, 3, 9), Local(2027, 5, 10, 0)), window);
        var notice = Assert.IsType<NoticeIssued>(Assert.Single(member.IssueCreditsExpiringNotice(PlanExamples.Catalogue, Local(2027, 5, 3, 9))));
        Assert.Contains("Expiring at the end of 9 May 2027: 50.00 USD of facial credit.", notice.Summary, StringComparison.Ordinal);
    }

    private static Member Buy(Member member, DateTimeOffset at, string purchaseId)
    {
        var key = member.Enrolment!.Plan.Terms.AddOns![0].Key!;
        return Fold(member, member.PurchaseAddOn(new AddOnPurchaseRequest(purchaseId, key, PaymentMethodKind.CardTerminal), at));
    }
}
