using MedSpa.Domain.Billing;
using MedSpa.Members;

namespace MedSpa.Domain.Members;

public sealed partial record Member
{
    private const string ReceiptPrefix = "receipt:";

    /// <summary>
    /// The receipt for a card payment <see cref="ResolveCharge"/> just recorded: how much, what it paid for (the
    /// period, or the plan an upgrade moved to), on which card and under which payment id. The notice id is the
    /// payment's, so a payment has one receipt however often its charge is resolved or its decision retried.
    /// </summary>
    private NoticeIssued Receipt(ChargeAttemptView attempt, string paymentId, DateTimeOffset now)
    {
        var enrolment = RequireEnrolment();
        var amount = Invariant($"{attempt.Amount.Amount / 100m:0.00} {attempt.Amount.Currency.ToUpperInvariant()}");
        string paidFor;
        if (attempt.Purpose == ChargePurpose.PlanChange)
        {
            var plan = ChangeIdOf(attempt.AttemptId) is { } changeId && PlanChanges.TryGetValue(changeId, out var change)
                ? change.Terms.To.Terms.Name
                : enrolment.Plan.Terms.Name;
            paidFor = $"your plan change to {plan}, for the rest of the current billing period";
        }
        else if (attempt.Purpose == ChargePurpose.BuyOut)
        {
            paidFor = $"the rest of your {enrolment.Plan.Terms.Name} minimum term, bought out";
        }
        else
        {
            var end = BillingCalendar.NextBillingDate(enrolment.AnchorDay, attempt.PeriodStart);
            paidFor = $"your {enrolment.Plan.Terms.Name} membership for {LocalDay(attempt.PeriodStart)} to {LocalDay(end)}";
        }

        return new NoticeIssued(ReceiptPrefix + paymentId, NoticeKind.PaymentReceipt, RequireProfile().Email,
            $"We received {amount} for {paidFor}, charged to your {CardCharged(attempt)}. Payment reference: {paymentId}.") { OccurredAt = now };
    }

    /// <summary>
    /// The card an attempt was made on, as the member knows it. The card on file may have been replaced while the
    /// attempt was being resolved; then its brand and last digits are not known here and the receipt does not guess.
    /// </summary>
    private string CardCharged(ChargeAttemptView attempt) =>
        Card is { } card && (attempt.PaymentMethodId is null || card.PaymentMethodId == attempt.PaymentMethodId)
            ? CardName(card)
            : "card";

    /// <summary>"Visa card ending in 4242", as far as the processor told us.</summary>
    private static string CardName(CardOnFile card)
    {
        var brand = card.Brand?.ToLowerInvariant() switch
        {
            null or "" or "unknown" => null,
            "amex" => "American Express",
            "mastercard" => "Mastercard",
            "diners" => "Diners Club",
            "jcb" => "JCB",
            "unionpay" => "UnionPay",
            "cartes_bancaires" => "Cartes Bancaires",
            var other => char.ToUpperInvariant(other[0]) + other[1..],
        };
        var name = brand is null ? "card" : $"{brand} card";
        return card.Last4 is { Length: > 0 } last4 ? $"{name} ending in {last4}" : name;
    }
}
