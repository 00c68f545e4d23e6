using MedSpa.Billing;

namespace MedSpa.Members;

public enum PaymentStatus
{
    Succeeded,
    Open,

    /// <summary>Money given back: the line's amount left the practice (a processor refund).</summary>
    Refunded,
}

/// <summary>One line of <c>GET /api/v1/members/{id}/payments</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record PaymentView(
    [property: Id(0)] string PaymentId,
    [property: Id(1)] BillingCategory Category,
    [property: Id(2)] Money Amount,
    [property: Id(3)] PaymentMethodKind? Method,
    [property: Id(4)] PaymentStatus Status,
    [property: Id(5)] DateTimeOffset At,
    [property: Id(6)] string? Reference = null,
    [property: Id(7)] DateOnly? PeriodStart = null,
    [property: Id(8)] string? CheckoutId = null,
    [property: Id(9)] string? Description = null);

/// <summary>One line of <c>GET /api/v1/members/{id}/events</c>: the audit trail as stored.</summary>
[GenerateSerializer, Immutable]
public sealed record RecordedEvent(
    [property: Id(0)] long Seq,
    [property: Id(1)] string Type,
    [property: Id(2)] DateTimeOffset OccurredAt,
    [property: Id(3)] string PayloadJson);

/// <summary>
/// One card charge attempt: what was asked, when, on which card (<see cref="PaymentMethodId"/>), and what the processor said
/// (null while unresolved).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ChargeAttemptView(
    [property: Id(0)] string AttemptId,
    [property: Id(1)] DateOnly PeriodStart,
    [property: Id(2)] int Attempt,
    [property: Id(3)] Money Amount,
    [property: Id(4)] DateTimeOffset AttemptedAt,
    [property: Id(5)] ChargeResult? Result = null,
    [property: Id(6)] string? PaymentIntentId = null,
    [property: Id(7)] string? DeclineCode = null,
    [property: Id(8)] string? Message = null,
    [property: Id(9)] DateTimeOffset? ResolvedAt = null,
    [property: Id(10)] ChargePurpose Purpose = ChargePurpose.Subscription,
    [property: Id(11)] string? PaymentMethodId = null);

/// <summary>
/// What a card charge pays for: the period's subscription fee, the prorated difference of an upgrade, or the rest of
/// the minimum term bought out with a cancellation.
/// </summary>
public enum ChargePurpose
{
    Subscription,
    PlanChange,
    BuyOut,
}

/// <summary>The card on file, as staff and the member see it.</summary>
[GenerateSerializer, Immutable]
public sealed record CardOnFile(
    [property: Id(0)] string PaymentMethodId,
    [property: Id(1)] string? Brand,
    [property: Id(2)] string? Last4,
    [property: Id(3)] int? ExpMonth,
    [property: Id(4)] int? ExpYear);

/// <summary>
/// Body of <c>POST /api/v1/members/{id}/refunds</c>: give back all (no <see cref="Amount"/>) or part of a card payment.
/// <see cref="RefundId"/> makes it idempotent: the same id never refunds twice.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RefundRequest(
    [property: Id(0)] string RefundId,
    [property: Id(1)] string PaymentId,
    [property: Id(2)] Money? Amount = null,
    [property: Id(3)] string? Reason = null);

/// <summary>
/// A card setup for the member to confirm in the browser with Stripe.js (<see cref="ClientSecret"/>); once confirmed,
/// <c>POST /payment-method</c> with its <see cref="SetupIntentId"/> makes the card the member's default.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CardSetupView(
    [property: Id(0)] string SetupIntentId,
    [property: Id(1)] string ClientSecret);
