namespace MedSpa.Members;

// Facts the card processor reports after the fact (webhooks): refunds made from Stripe's dashboard, disputes opened
// at the bank, cards detached or reissued. Recorded so the member's log stays the whole audit trail.

/// <summary>
/// Money given back on a card payment, fully or in part. <see cref="RefundId"/> (<c>re_…</c>) makes it a fact
/// recorded once, however many times the processor reports it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RefundRecorded(
    [property: Id(0)] string RefundId,
    [property: Id(1)] string ChargeId,
    [property: Id(2)] string? PaymentIntentId,
    [property: Id(3)] Money Amount,
    [property: Id(4)] BillingCategory Category,
    [property: Id(5)] string? RequestedAs = null) : MemberEvent;

/// <summary>
/// The member disputed a card payment with their bank (a chargeback or an inquiry). Staff must answer with evidence
/// before <see cref="EvidenceDueBy"/> or the money is lost.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ChargeDisputed(
    [property: Id(0)] string DisputeId,
    [property: Id(1)] string ChargeId,
    [property: Id(2)] string? PaymentIntentId,
    [property: Id(3)] Money Amount,
    [property: Id(4)] string Reason,
    [property: Id(5)] string Status,
    [property: Id(6)] DateTimeOffset? EvidenceDueBy) : MemberEvent;

/// <summary>The card on file can no longer be charged (detached at the processor): billing must wait for a new one.</summary>
[GenerateSerializer, Immutable]
public sealed record CardOnFileRemoved(
    [property: Id(0)] string PaymentMethodId,
    [property: Id(1)] string Reason) : MemberEvent;
