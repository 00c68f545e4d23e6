using MedSpa.Domain.Tests.Plans;
using MedSpa.Members;
using MedSpa.Plans;
using static MedSpa.Domain.Tests.Members.LifecycleExamples;

namespace MedSpa.Domain.Tests.Members;

/// <summary>Winning back a member cancelled in the last 90 days with the plan's offer.</summary>
public sealed class MemberReactivationTests
{
    [Fact]
    public void The_offer_is_sent_once_per_lapse_and_accepting_it_re_enrols_with_the_first_month_discounted_and_the_bonus_granted()
    {
        var member = Cancelled(out var cancelledAt);
        var plan = PlanOf(WithOffer);

        var offerAt = cancelledAt.AddDays(10);
        var events = member.OfferReactivation(plan, offerAt);
        member = Fold(member, events);
        var offer = Assert.IsType<ReactivationOffered>(events[0]);
        Assert.Equal(offer.LapsedOn.AddDays(90), offer.ValidUntil);
        Assert.Contains(events, e => e is NoticeIssued { Kind: NoticeKind.ReactivationOffer });
        Assert.Equal("offer_already_sent", Assert.Throws<CommandRejectedException>(() => member.OfferReactivation(plan, offerAt)).Code);

        var backAt = offerAt.AddDays(5);
        member = Fold(member, member.Reactivate(new ReactivationRequest(new AgreementAcceptance("Ava Stone", true)), new SignatureContext("portal", null, null), plan, PlanExamples.Catalogue, backAt));

        Assert.Equal(MembershipStatus.PendingPayment, member.Status);
        var firstPeriod = member.Enrolment!.EnrolledOn;
        Assert.Equal(9_950, member.PriceFor(firstPeriod).Amount);
        Assert.Equal(19_900, member.PriceFor(firstPeriod.AddMonths(1)).Amount);

        member = Charge(member, backAt, MedSpa.Billing.ChargeResult.Succeeded, null);
        Assert.Equal(MembershipStatus.Active, member.Status);
        Assert.Equal(9_950, member.ChargeAttempts[^1].Amount.Amount);
        Assert.Equal(3, member.Credits.Available("units:svc_tox", backAt));
    }

    [Fact]
    public void Only_within_90_days_of_the_lapse_and_only_when_the_plan_has_an_offer()
    {
        var member = Cancelled(out var cancelledAt);

        Assert.Equal("lapse_too_old", Assert.Throws<CommandRejectedException>(() => member.OfferReactivation(PlanOf(WithOffer), cancelledAt.AddDays(92))).Code);
        Assert.Equal("no_reactivation_offer", Assert.Throws<CommandRejectedException>(() => member.OfferReactivation(PlanOf(PlanExamples.Premium), cancelledAt)).Code);
        Assert.Equal("no_reactivation_offer_sent", Assert.Throws<CommandRejectedException>(() => member.Reactivate(
            new ReactivationRequest(new AgreementAcceptance("Ava Stone", true)), new SignatureContext("portal", null, null), PlanOf(WithOffer), PlanExamples.Catalogue, cancelledAt)).Code);
    }
}
