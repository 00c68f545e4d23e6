using System.Globalization;
using MedSpa.Billing;
using MedSpa.Domain.Billing;
using MedSpa.Members;

namespace MedSpa.Domain.Members;

public sealed partial record Member
{
    /// <summary>How a buy-out's payment reads in the payment history (and on the card statement).</summary>
    public const string BuyOutDescription = "minimum-term buy-out";

    /// <summary>The attempt whose outcome is not known yet, if any: it must be resolved before anything is charged again.</summary>
    public ChargeAttemptView? UnresolvedAttempt => ChargeAttempts.Find(a => a.Result is null);

    public IReadOnlyList<MemberEvent> RecordCustomer(string customerId, DateTimeOffset now)
    {
        RequireProfile();
        return CustomerId == customerId ? [] : [new ProcessorCustomerCreated(customerId) { OccurredAt = now }];
    }

    public IReadOnlyList<MemberEvent> SaveCard(string customerId, CardOnFile card, DateTimeOffset now)
    {
        RequireProfile();
        return Card == card && CustomerId == customerId
            ? []
            : [new CardOnFileSaved(customerId, card.PaymentMethodId, card.Brand, card.Last4, card.ExpMonth, card.ExpYear) { OccurredAt = now }];
    }

    /// <summary>
    /// Records the next attempt to charge the card on file for the subscription payment due, before the processor is
    /// called. The idempotency key, <c>charge:{member}:{periodStart}:{attempt}</c>, is also the attempt's id.
    /// </summary>
    public IReadOnlyList<MemberEvent> StartCharge(string memberId, DateTimeOffset now)
    {
        RequireEnrolment();
        if (UnresolvedAttempt is { } unresolved)
        {
            throw Reject.Conflict("charge_in_progress", $"The outcome of {unresolved.AttemptId} is not known yet.");
        }

        if (PeriodOwed(now) is not { } periodStart)
        {
            throw Reject.Conflict("nothing_due", "This membership has no payment due.");
        }

        var due = PriceFor(periodStart);
        if (due.Amount == 0)
        {
            return SettleCoveredPeriod(now);
        }

        var card = Card ?? throw Reject.Conflict("no_card_on_file", "The member has no card on file.");
        var attempt = ChargeAttempts.Count(a => a.PeriodStart == periodStart && a.Purpose == ChargePurpose.Subscription) + 1;
        var key = string.Create(CultureInfo.InvariantCulture, $"charge:{memberId}:{periodStart:yyyy-MM-dd}:{attempt}");
        // The period has begun once it is billed, paid yet or not: a downgrade due by then has happened (the member is on
        // the new plan, not "changing to it" on a date gone by while the payment is chased), and credit it ends has ended.
        return [.. EnterPeriod(periodStart, now), new ChargeAttempted(key, periodStart, attempt, due, key, card.PaymentMethodId) { OccurredAt = now }];
    }

    /// <summary>
    /// Records what the processor answered for an attempt. A paid attempt pays its period (and so allocates its
    /// credits) or completes its upgrade, and the member gets a receipt; a declined subscription charge moves the
    /// dunning on (<see cref="AfterDecline"/>). An unknown outcome or a throttled call records nothing: the attempt
    /// stays open until the same request is repeated or the charge is found. Resolving twice records nothing.
    /// </summary>
    public IReadOnlyList<MemberEvent> ResolveCharge(
        string attemptId, ChargeResult result, string? paymentIntentId, string? declineCode, string? message, DateTimeOffset now, DunningPolicy policy)
    {
        var attempt = ChargeAttempts.Find(a => a.AttemptId == attemptId)
            ?? throw Reject.NotFound("attempt_not_found", $"There is no charge attempt {attemptId}.");
        if (attempt.Result is not null || result is ChargeResult.Unknown or ChargeResult.RateLimited)
        {
            return [];
        }

        var decision = new Decision(this).Add(new ChargeResolved(attemptId, result, paymentIntentId, declineCode, message) { OccurredAt = now });
        if (result != ChargeResult.Succeeded)
        {
            return attempt.Purpose == ChargePurpose.Subscription
                ? decision.Add(decision.State.AfterDecline(attempt, declineCode, now, policy)).Events
                : decision.Events;
        }

        var paymentId = Identifiers.New("pay", now);
        var description = attempt.Purpose == ChargePurpose.BuyOut ? BuyOutDescription : null;
        decision.Add(new PaymentRecorded(
            paymentId, BillingCategory.Subscription, attempt.Amount, PaymentMethodKind.CardOnFile, PaymentStatus.Succeeded, paymentIntentId, attempt.PeriodStart,
            Description: description) { OccurredAt = now });
        switch (attempt.Purpose)
        {
            case ChargePurpose.PlanChange:
                decision.Add(decision.State.CompletePlanChange(attempt, paymentId, now));
                break;
            case ChargePurpose.BuyOut:
                decision.Add(decision.State.CompleteBuyOut(attempt, now));
                break;
            case ChargePurpose.Subscription when decision.State.NextPeriodStart is { } owed && attempt.PeriodStart >= owed
                && decision.State.Status != MembershipStatus.Cancelled:
                decision.Add(decision.State.PayPeriod(attempt.PeriodStart, paymentId, now));
                break;
        }

        // The period may have been settled another way meanwhile: the period is not paid twice, but the money was taken,
        // so the member still gets a receipt for it.
        return decision.Add(decision.State.Receipt(attempt, paymentId, now)).Events;
    }
}
