using MedSpa.Domain.Billing;
using MedSpa.Domain.Credits;
using MedSpa.Members;
using MedSpa.Plans;

namespace MedSpa.Domain.Members;

public sealed partial record Member
{
    private const int MaxReferenceLength = 100;

    /// <summary>
    /// Why the membership's own credits and discounts cannot be used now, or null when they can. Past due members
    /// keep using the credits they hold; packages were bought outright and are never blocked.
    /// </summary>
    public PricingNotice? MembershipBenefitsBlocked => Status switch
    {
        MembershipStatus.Active or MembershipStatus.PastDue => null,
        MembershipStatus.Suspended => new PricingNotice("membership_suspended", "The membership is suspended for non-payment: its credits are frozen and included services cannot be redeemed or booked until the payment is made."),
        MembershipStatus.Paused => new PricingNotice("membership_paused", "The membership is paused: included services cannot be redeemed until it resumes."),
        MembershipStatus.PendingPayment => new PricingNotice("membership_pending_payment", "The membership starts when its first payment is taken."),
        _ => new PricingNotice("not_a_member", "This client has no active membership."),
    };

    public IReadOnlyList<MemberEvent> Redeem(RedemptionRequest request, DateTimeOffset now)
    {
        RequireProfile();
        RequireReference(request.RedemptionId, "redemption id", "invalid_redemption_id");
        if (!request.BenefitKey.StartsWith("package:", StringComparison.Ordinal) && MembershipBenefitsBlocked is { } blocked)
        {
            throw Reject.Conflict(blocked.Code, blocked.Message);
        }

        var decision = new Decision(this).Add(Credits.ExpireDue(now));
        return decision.Add(decision.State.Credits.Redeem(request, checkoutId: null, now)).Events;
    }

    public IReadOnlyList<MemberEvent> VoidRedemption(string redemptionId, string reason, DateTimeOffset now)
    {
        RequireProfile();
        return Credits.Void(redemptionId, reason, now);
    }

    /// <summary>
    /// A staff correction. Credit added to a benefit that expires each period expires with the current period;
    /// otherwise it lasts as long as the membership.
    /// </summary>
    public IReadOnlyList<MemberEvent> AdjustCredits(CreditAdjustmentRequest request, DateTimeOffset now)
    {
        RequireProfile();
        RequireReference(request.AdjustmentId, "adjustment id", "invalid_adjustment_id");
        var benefit = Enrolment?.Plan.Terms.Benefits.FirstOrDefault(b => b.Key == request.BenefitKey && b.Kind != BenefitKind.Discount);
        var kind = benefit?.Kind
            ?? Credits.Lots.Find(l => l.BenefitKey == request.BenefitKey)?.Kind
            ?? throw Reject.Invalid("unknown_benefit", $"This client has no balance called \"{request.BenefitKey}\".");
        DateTimeOffset? expiresAt = benefit is { Rollover: null } && PaidPeriod is { } period && Enrolment is { } enrolment
            ? BillingCalendar.ChargeInstant(period.End, enrolment.Zone)
            : null;

        var decision = new Decision(this).Add(Credits.ExpireDue(now));
        return decision.Add(decision.State.Credits.Adjust(request, kind, expiresAt, now)).Events;
    }

    /// <summary>One of the plan's add-ons, paid at the desk; its credit lasts the add-on's validity.</summary>
    public IReadOnlyList<MemberEvent> PurchaseAddOn(AddOnPurchaseRequest request, DateTimeOffset now)
    {
        RequireProfile();
        var enrolment = RequireEnrolment();
        var purchaseId = RequireReference(request.PurchaseId, "purchase id", "invalid_purchase_id");
        if (AddOnPurchases.TryGetValue(purchaseId, out var purchased))
        {
            return purchased.AddOnKey == request.AddOnKey
                ? []
                : throw Reject.Conflict("purchase_id_reused", $"Purchase {purchaseId} was already recorded for another add-on.");
        }

        if (MembershipBenefitsBlocked is { } blocked)
        {
            throw Reject.Conflict(blocked.Code, blocked.Message);
        }

        var addOn = enrolment.Plan.Terms.AddOns?.FirstOrDefault(a => a.Key == request.AddOnKey)
            ?? throw Reject.NotFound("add_on_not_found", $"{enrolment.Plan.Terms.Name} has no add-on \"{request.AddOnKey}\".");
        if (request.Method is not (PaymentMethodKind.CardTerminal or PaymentMethodKind.Cash))
        {
            throw Reject.Invalid("invalid_payment_method", "An add-on is paid at the desk, on the card terminal or in cash.");
        }

        var paymentId = Identifiers.New("pay", now);
        var quantity = addOn.Kind == BenefitKind.TreatmentUnits ? addOn.Units ?? 0 : addOn.Amount?.Amount ?? 0;
        var decision = new Decision(this)
            .Add(Credits.ExpireDue(now))
            .Add(new PaymentRecorded(paymentId, BillingCategory.AddOn, addOn.Price, request.Method, PaymentStatus.Succeeded, purchaseId) { OccurredAt = now });
        decision.Add(decision.State.Credits.Grant(
            BenefitKeys.For(addOn.Kind, addOn.ServiceId, addOn.Category), addOn.Kind, LotSource.AddOn, quantity, now.AddDays(addOn.ValidForDays), purchaseId, now));
        var lotId = decision.Events.OfType<CreditsAllocated>().Last().LotId;
        return decision.Add(new AddOnPurchased(purchaseId, addOn.Key!, lotId, paymentId) { OccurredAt = now }).Events;
    }

    public CreditsView CreditsView(string memberId, DateTimeOffset now) =>
        new(memberId, Credits.FrozenSince is not null, Credits.Balances(now, Enrolment?.Price.Currency));

    public RedemptionView RequireRedemption(string redemptionId) =>
        Credits.Redemptions.TryGetValue(redemptionId, out var redemption)
            ? redemption
            : throw Reject.NotFound("redemption_not_found", $"There is no redemption {redemptionId}.");

    private static string RequireReference(string? reference, string what, string code)
    {
        var trimmed = reference?.Trim() ?? "";
        return trimmed.Length is > 0 and <= MaxReferenceLength
            ? trimmed
            : throw Reject.Invalid(code, $"A {what} of 1 to {MaxReferenceLength} characters is needed: it makes retrying safe.");
    }
}
