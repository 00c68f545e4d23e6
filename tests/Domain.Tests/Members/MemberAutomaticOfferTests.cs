using MedSpa.Domain.Billing;
using MedSpa.Domain.Members;
using MedSpa.Domain.Tests.Plans;
using MedSpa.Members;
using MedSpa.Plans;
using static MedSpa.Domain.Tests.Members.LifecycleExamples;

namespace MedSpa.Domain.Tests.Members;

/// <summary>A plan's reactivation offer sent by itself a set number of days after the membership ended, once per lapse.</summary>
public sealed class MemberAutomaticOfferTests
{
    private static readonly DateOnly LapsedOn = new(2027, 5, 13);

    /// <summary>14 days after the involuntary cancellation of 13 May 2027, at 09:00 in New York.</summary>
    private static readonly DateTimeOffset DueAt = Local(2027, 5, 27, 9);

    private static PlanTerms SendsAfter(int? days) =>
        PlanExamples.Premium with { ReactivationOffer = new ReactivationOffer(50, "units:svc_tox", 2, days) };

    private static Member Lapsed(int? days = 14) => Cancelled(out _, SendsAfter(days));

    [Fact]
    public void It_is_due_the_set_number_of_days_after_the_membership_ended_at_the_charge_time_and_is_the_wake_up_until_then()
    {
        var member = Lapsed();
        Assert.Equal(LapsedOn, member.LastCancellation!.EffectiveOn);

        var before = DueWork.At(member.Billing!, DueAt.AddTicks(-1), Policy);
        Assert.Empty(before.Items);
        Assert.Equal(DueAt, before.NextDueAt);

        Assert.Equal([new DueItem.SendReactivationOffer(DueAt)], DueWork.At(member.Billing!, DueAt, Policy).Items);
    }

    [Fact]
    public void A_voluntary_cancellation_counts_from_its_effective_date()
    {
        var member = Active(SendsAfter(30));
        member = Fold(member, member.ConfirmCancellation(new CancellationRequest("price", Confirm: true), Local(2027, 4, 1)));
        var termEnd = member.Enrolment!.TermEnd;
        member = Fold(member, member.EndMembership(Local(termEnd.Year, termEnd.Month, termEnd.Day, 0)));

        Assert.Equal(Local(2028, 4, 9, 9), DueWork.At(member.Billing!, Local(2028, 3, 11), Policy).NextDueAt);
    }

    [Fact]
    public void Sent_it_records_the_current_plans_offer_and_a_notice_and_is_not_due_again_and_the_member_can_accept_it()
    {
        var member = Lapsed();
        var current = PlanOf(SendsAfter(14) with { ReactivationOffer = new ReactivationOffer(25, SendAfterDays: 14) });

        var events = member.SendAutomaticOffer(current, DueAt);
        member = Fold(member, events);

        var offered = Assert.IsType<ReactivationOffered>(events[0]);
        Assert.Equal((25, LapsedOn, LapsedOn.AddDays(90)), (offered.Offer.FirstMonthDiscountPercent, offered.LapsedOn, offered.ValidUntil));
        Assert.Contains(events, e => e is NoticeIssued { Kind: NoticeKind.ReactivationOffer });
        var after = DueWork.At(member.Billing!, DueAt.AddDays(1), Policy);
        Assert.Empty(after.Items);
        Assert.Null(after.NextDueAt);
        Assert.Empty(member.SendAutomaticOffer(current, DueAt.AddDays(1)));

        member = Fold(member, member.Reactivate(
            new ReactivationRequest(new AgreementAcceptance("Ava Stone", true)), new SignatureContext("portal", null, null), current, PlanExamples.Catalogue, DueAt.AddDays(2)));
        Assert.Equal(MembershipStatus.PendingPayment, member.Status);
        Assert.Equal(14_925, member.PriceFor(member.Enrolment!.EnrolledOn).Amount);
    }

    [Fact]
    public void An_offer_sent_by_hand_first_leaves_nothing_to_send()
    {
        var member = Lapsed();
        member = Fold(member, member.OfferReactivation(PlanOf(SendsAfter(14)), DueAt.AddDays(-10)));

        var work = DueWork.At(member.Billing!, DueAt, Policy);
        Assert.Empty(work.Items);
        Assert.Null(work.NextDueAt);
    }

    [Fact]
    public void A_plan_that_sends_it_only_by_hand_never_makes_it_due()
    {
        var member = Lapsed(days: null);

        Assert.Null(member.Billing!.ReactivationOfferAt);
        var work = DueWork.At(member.Billing, DueAt.AddDays(30), Policy);
        Assert.Empty(work.Items);
        Assert.Null(work.NextDueAt);
        Assert.Empty(member.SendAutomaticOffer(PlanOf(SendsAfter(null)), DueAt));
    }

    [Fact]
    public void A_tick_after_the_90_day_window_sends_nothing()
    {
        var member = Lapsed(days: 89);
        var lastDay = Local(2027, 8, 11, 23);
        Assert.Equal(LapsedOn.AddDays(90), new DateOnly(2027, 8, 11));

        Assert.Single(DueWork.At(member.Billing!, lastDay, Policy).Items);
        var late = DueWork.At(member.Billing!, Local(2027, 8, 12, 0).AddMinutes(1), Policy);
        Assert.Empty(late.Items);
        Assert.Null(late.NextDueAt);
        Assert.Empty(member.SendAutomaticOffer(PlanOf(SendsAfter(89)), Local(2027, 8, 12, 9)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(14)]
    public void When_the_plans_current_version_no_longer_sends_it_by_itself_nothing_is_recorded(int? removedOrByHand)
    {
        var member = Lapsed();
        var current = PlanOf(removedOrByHand is null
            ? PlanExamples.Premium with { ReactivationOffer = null }
            : SendsAfter(null));

        Assert.Empty(member.SendAutomaticOffer(current, DueAt));
    }

    [Fact]
    public void Not_due_before_its_time_nor_for_a_member_still_active()
    {
        Assert.Empty(Lapsed().SendAutomaticOffer(PlanOf(SendsAfter(14)), DueAt.AddTicks(-1)));
        var active = Active(SendsAfter(14));
        Assert.Null(active.Billing!.ReactivationOfferAt);
        Assert.Empty(active.SendAutomaticOffer(PlanOf(SendsAfter(14)), DueAt));
    }
}
