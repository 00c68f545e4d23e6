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

        var offer = OfferOf(plan.Terms) ?? throw Reject.Conflict("no_reactivation_offer", $"{plan.Terms.Name} has no reactivation offer.");
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
    /// The automatic offer fell due (<see cref="DueItem.SendReactivationOffer"/>): sent from <paramref name="current"/>,
    /// the plan's current version, when it still sends an offer by itself. When the practice has since removed the offer or
    /// made it one sent by hand, nothing is recorded: the grain stops asking for this lapse rather than retrying a refusal.
    /// </summary>
    public IReadOnlyList<MemberEvent> SendAutomaticOffer(PlanVersion current, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(current);
        var due = Enrolment is { } enrolment && AutomaticOfferAt(enrolment) is { } at && at <= now
            && LastCancellation is { } lapse && BillingCalendar.LocalDate(now, enrolment.Zone) <= lapse.EffectiveOn.AddDays(ReactivationWindowDays);
        return due && current.PlanId == Enrolment!.Plan.PlanId && OfferOf(current.Terms) is { SendAfterDays: not null }
            ? OfferReactivation(current, now)
            : [];
    }

    /// <summary>
    /// When the plan the member left sends its offer by itself (its terms as the member had them, so a member is never
    /// woken for a plan they were not on): that many days after the membership ended, at the charge time. Null when it
    /// is sent only by hand, or was already sent for this lapse.
    /// </summary>
    private DateTimeOffset? AutomaticOfferAt(Enrolment enrolment) =>
        Status == MembershipStatus.Cancelled && LastCancellation is { } lapse && OfferOf(enrolment.Plan.Terms) is { SendAfterDays: { } days }
        && Reactivation?.Offer.LapsedOn != lapse.EffectiveOn
            ? BillingCalendar.ChargeInstant(lapse.EffectiveOn.AddDays(days), enrolment.Zone)
            : null;

    /// <summary>A plan's offer when it offers something: a discount or a bonus.</summary>
    private static ReactivationOffer? OfferOf(PlanTerms terms) =>
        terms.ReactivationOffer is { } offer && (offer.FirstMonthDiscountPercent > 0 || offer.BonusQuantity > 0) ? offer : null;

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
