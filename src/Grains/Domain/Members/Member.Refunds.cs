using System.Collections.Immutable;
using MedSpa.Members;

namespace MedSpa.Domain.Members;

/// <summary>What a staff refund would give back, checked before the processor is asked.</summary>
public sealed record RefundPlan(string PaymentIntentId, Money Amount, string IdempotencyKey);

public sealed partial record Member
{
    /// <summary>Staff refund ids already done, and the processor's refund each became.</summary>
    public ImmutableDictionary<string, string> StaffRefunds { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Records a refund staff asked for, once the processor made it (the webhook's later report of it is then a duplicate).</summary>
    public IReadOnlyList<MemberEvent> RecordStaffRefund(RefundRequest request, ProcessorRefund refund, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(refund);
        if (StaffRefunds.ContainsKey(request.RefundId) || RefundIds.Contains(refund.RefundId))
        {
            return [];
        }

        var category = Payments.Find(p => p.PaymentId == request.PaymentId)?.Category ?? BillingCategory.Subscription;
        return [new RefundRecorded(refund.RefundId, refund.ChargeId, refund.PaymentIntentId, refund.Amount, category, request.RefundId) { OccurredAt = now }];
    }

    /// <summary>
    /// Checks a staff refund of a card payment: what is left to give back is the payment less what was already
    /// refunded (by staff or straight in Stripe's dashboard, as the webhooks report). The processor's idempotency key
    /// is the member and refund id, so a retried request gets the first refund back instead of a second one. Null when
    /// this refund id is already recorded.
    /// </summary>
    public RefundPlan? PlanRefund(string memberId, RefundRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequireProfile();
        RequireReference(request.RefundId, "refund id", "invalid_refund_id");
        if (StaffRefunds.ContainsKey(request.RefundId))
        {
            return null;
        }

        var payment = Payments.Find(p => p.PaymentId == request.PaymentId && p.Status == PaymentStatus.Succeeded)
            ?? throw Reject.NotFound("payment_not_found", $"There is no payment {request.PaymentId}.");
        if (payment.Method != PaymentMethodKind.CardOnFile || payment.Reference is not { } paymentIntentId)
        {
            throw Reject.Conflict("not_a_card_payment", "Only card-on-file payments are refunded here; give cash and terminal payments back at the desk.");
        }

        var refunded = Payments.Where(p => p.Status == PaymentStatus.Refunded && p.Reference == paymentIntentId).Sum(p => p.Amount.Amount);
        var left = payment.Amount.Amount - refunded;
        var amount = request.Amount ?? new Money(left, payment.Amount.Currency);
        Limits.RequireAmount(amount.Amount);
        if (amount.Amount <= 0 || !string.Equals(amount.Currency, payment.Amount.Currency, StringComparison.OrdinalIgnoreCase))
        {
            throw Reject.Invalid("invalid_amount", $"A refund is a positive amount in {payment.Amount.Currency}.");
        }

        return amount.Amount <= left
            ? new RefundPlan(paymentIntentId, amount, $"refund:{memberId}:{request.RefundId}")
            : throw Reject.Conflict("refund_exceeds_payment", $"Only {left} {payment.Amount.Currency} of this payment is left to refund.");
    }
}
