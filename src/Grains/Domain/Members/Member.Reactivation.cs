using MedSpa.Domain.Billing;
using MedSpa.Members;
using MedSpa.Plans;
using MedSpa.Practice;

namespace MedSpa.Domain.Members;

/// <summary>The offer sent for the current lapse and, once accepted, the first period it applies to.</summary>
public sealed record ReactivationState(ReactivationOffered Offer, DateOnly? FirstPeriod);

public sealed partial record Member
{
    /// <summary>How long after the membership ended a member can still be won back with an offer.</summary>
    public const int ReactivationWindowDays = 90;

    public ReactivationState? Reactivation { get; init; }

    /// <summary>
    /// Sends the plan's offer (<paramref name="plan"/>: the current version of the plan the member left) to a member
    /// whose membership ended within the last 90 days; once per lapse.
    /// </summary>
    public IReadOnlyList<MemberEvent> OfferReactivation(PlanVersion plan, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var lapse = RequireLapse(now, out var today);
        if (Reactivation is { } sent && sent.Offer.LapsedOn == lapse.EffectiveOn)
        {
            throw Reject.Conflict("offer_already_sent", $"The offer for this lapse was already sent ({sent.Offer.OfferId}).");
        }

        var offer = plan.Terms.ReactivationOffer is { } o && (o.FirstMonthDiscountPercent > 0 || o.BonusQuantity > 0)
            ? o
            : throw Reject.Conflict("no_reactivation_offer", $"{plan.Terms.Name} has no reactivation offer.");
        var validUntil = lapse.EffectiveOn.AddDays(ReactivationWindowDays);
        var what = (offer.FirstMonthDiscountPercent, offer.BonusQuantity) switch
        {
            ( > 0, > 0) => $"{offer.FirstMonthDiscountPercent}% off your first month and a bonus of {offer.BonusQuantity} ({offer.BonusBenefitKey})",
            ( > 0, _) => $"{offer.FirstMonthDiscountPercent}% off your first month",
            _ => $"a bonus of {offer.BonusQuantity} ({offer.BonusBenefitKey})",
        };
        return
        [
            new ReactivationOffered(Identifiers.New("rof", now), plan.PlanId, offer, lapse.EffectiveOn, validUntil) { OccurredAt = now },
            Notice(NoticeKind.ReactivationOffer, now, $"We would love to have you back: rejoin {plan.Terms.Name} by {LocalDay(validUntil)} for {what}."),
        ];
    }

    /// <summary>
    /// The member accepts the offer sent for this lapse: enrolled again (a new agreement, anchor and term) with the
    /// offer applied to the first period (<see cref="PriceFor"/> and <see cref="ReactivationBonus"/>).
    /// </summary>
    public IReadOnlyList<MemberEvent> Reactivate(
        ReactivationRequest request, SignatureContext signature, PlanVersion plan, PracticeCatalogue catalogue, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(plan);
        var lapse = RequireLapse(now, out var today);
        if (Reactivation is not { } sent || sent.Offer.LapsedOn != lapse.EffectiveOn)
        {
            throw Reject.Conflict("no_reactivation_offer_sent", "No reactivation offer was sent for this lapse; send one first.");
        }

        if (today > sent.Offer.ValidUntil)
        {
            throw Reject.Conflict("reactivation_offer_expired", $"The offer was valid until {sent.Offer.ValidUntil:yyyy-MM-dd}.");
        }

        if (plan.PlanId != sent.Offer.PlanId)
        {
            throw Reject.Invalid("offer_plan_mismatch", $"The offer is for {sent.Offer.PlanId}.");
        }

        return new Decision(this)
            .Add(Enrol(new EnrolmentRequest(plan.PlanId, request.Agreement), signature, plan, catalogue, now))
            .Add(new ReactivationAccepted(sent.Offer.OfferId) { OccurredAt = now })
            .Events;
    }

    /// <summary>The first period's price with the accepted offer's discount (rounded half away from zero, once).</summary>
    private Money WithReactivationDiscount(DateOnly periodStart, Money price) =>
        Reactivation is { FirstPeriod: { } first, Offer.Offer.FirstMonthDiscountPercent: > 0 and var percent } && first == periodStart
            ? price with { Amount = price.Amount - (long)Math.Round(price.Amount * percent / 100m, MidpointRounding.AwayFromZero) }
            : price;

    /// <summary>The accepted offer's bonus credits, granted with the first period's allocation.</summary>
    private IReadOnlyList<MemberEvent> ReactivationBonus(Member state, DateOnly periodStart, DateTimeOffset expiresAt, DateTimeOffset now) =>
        Reactivation is { FirstPeriod: { } first, Offer: { Offer: { BonusQuantity: > 0, BonusBenefitKey: { } key } offer } sent } && first == periodStart
            && Enrolment!.Plan.Terms.Benefits.FirstOrDefault(b => b.Key == key) is { } benefit
            ? state.Credits.Grant(key, benefit.Kind, LotSource.Bonus, offer.BonusQuantity, expiresAt, sent.OfferId, now)
            : [];

    private MembershipCancelled RequireLapse(DateTimeOffset now, out DateOnly today)
    {
        RequireProfile();
        var enrolment = RequireEnrolment();
        if (Status != MembershipStatus.Cancelled || LastCancellation is not { } lapse)
        {
            throw Reject.Conflict("not_cancelled", "Only a member whose membership has ended can be offered to come back.");
        }

        today = BillingCalendar.LocalDate(now, enrolment.Zone);
        return today > lapse.EffectiveOn.AddDays(ReactivationWindowDays)
            ? throw Reject.Conflict("lapse_too_old", $"The membership ended more than {ReactivationWindowDays} days ago.")
            : lapse;
    }
}
