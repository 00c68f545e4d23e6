using System.Text.Json.Serialization;
using MedSpa.Billing;
using MedSpa.Plans;

namespace MedSpa.Members;

/// <summary>
/// Something that happened to a member, as stored in <c>member_events</c>: the audit trail and the source of every
/// view and report. The discriminator is the row's <c>event_type</c>. Events are facts: never change an existing one's
/// meaning or its discriminator; add new events instead.
/// </summary>
[GenerateSerializer]
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ClientRegistered), "client_registered")]
[JsonDerivedType(typeof(MemberEnrolled), "member_enrolled")]
[JsonDerivedType(typeof(PaymentRecorded), "payment_recorded")]
[JsonDerivedType(typeof(PeriodPaid), "period_paid")]
[JsonDerivedType(typeof(CreditsAllocated), "credits_allocated")]
[JsonDerivedType(typeof(CreditsRedeemed), "credits_redeemed")]
[JsonDerivedType(typeof(RedemptionVoided), "redemption_voided")]
[JsonDerivedType(typeof(CreditsAdjusted), "credits_adjusted")]
[JsonDerivedType(typeof(CreditsExpired), "credits_expired")]
[JsonDerivedType(typeof(CreditsFrozen), "credits_frozen")]
[JsonDerivedType(typeof(CreditsUnfrozen), "credits_unfrozen")]
[JsonDerivedType(typeof(AddOnPurchased), "add_on_purchased")]
[JsonDerivedType(typeof(CheckoutCompleted), "checkout_completed")]
[JsonDerivedType(typeof(CardOnFileSaved), "card_on_file_saved")]
[JsonDerivedType(typeof(ChargeAttempted), "charge_attempted")]
[JsonDerivedType(typeof(ChargeResolved), "charge_resolved")]
[JsonDerivedType(typeof(NoticeIssued), "notice_issued")]
[JsonDerivedType(typeof(ProcessorCustomerCreated), "processor_customer_created")]
[JsonDerivedType(typeof(PaymentPastDue), "payment_past_due")]
[JsonDerivedType(typeof(MembershipSuspended), "membership_suspended")]
[JsonDerivedType(typeof(MembershipCancelled), "membership_cancelled")]
[JsonDerivedType(typeof(PlanChangeRequested), "plan_change_requested")]
[JsonDerivedType(typeof(PlanChanged), "plan_changed")]
[JsonDerivedType(typeof(PlanChangeScheduled), "plan_change_scheduled")]
[JsonDerivedType(typeof(PlanChangeWithdrawn), "plan_change_withdrawn")]
[JsonDerivedType(typeof(PriceIncreaseNotified), "price_increase_notified")]
[JsonDerivedType(typeof(PriceIncreaseConfirmed), "price_increase_confirmed")]
[JsonDerivedType(typeof(RefundRecorded), "refund_recorded")]
[JsonDerivedType(typeof(ChargeDisputed), "charge_disputed")]
[JsonDerivedType(typeof(CardOnFileRemoved), "card_on_file_removed")]
[JsonDerivedType(typeof(CancellationRequested), "cancellation_requested")]
[JsonDerivedType(typeof(CancellationWithdrawn), "cancellation_withdrawn")]
[JsonDerivedType(typeof(MembershipPaused), "membership_paused")]
[JsonDerivedType(typeof(MembershipResumed), "membership_resumed")]
[JsonDerivedType(typeof(ReactivationOffered), "reactivation_offered")]
[JsonDerivedType(typeof(ReactivationAccepted), "reactivation_accepted")]
[JsonDerivedType(typeof(NoticeSent), "notice_sent")]
[JsonDerivedType(typeof(MemberImported), "member_imported")]
public abstract record MemberEvent
{
    [Id(0)]
    public required DateTimeOffset OccurredAt { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record ClientRegistered([property: Id(0)] MemberProfile Profile) : MemberEvent;

/// <summary>The member signed up: plan terms as of that day, the billing calendar, and the signed agreement.</summary>
[GenerateSerializer, Immutable]
public sealed record MemberEnrolled(
    [property: Id(0)] EnrolledPlan Plan,
    [property: Id(1)] string TimeZone,
    [property: Id(2)] DateOnly EnrolledOn,
    [property: Id(3)] int AnchorDay,
    [property: Id(4)] DateOnly TermEnd,
    [property: Id(5)] SignedAgreement Agreement) : MemberEvent;

/// <summary>Money received (or invoiced, when <see cref="Status"/> is open) in one of the billing categories.</summary>
[GenerateSerializer, Immutable]
public sealed record PaymentRecorded(
    [property: Id(0)] string PaymentId,
    [property: Id(1)] BillingCategory Category,
    [property: Id(2)] Money Amount,
    [property: Id(3)] PaymentMethodKind? Method,
    [property: Id(4)] PaymentStatus Status,
    [property: Id(5)] string? Reference = null,
    [property: Id(6)] DateOnly? PeriodStart = null,
    [property: Id(7)] string? CheckoutId = null,
    [property: Id(8)] string? Description = null) : MemberEvent;

/// <summary>A billing period [start, end) is paid: the membership is active for it and its credits follow.</summary>
[GenerateSerializer, Immutable]
public sealed record PeriodPaid(
    [property: Id(0)] DateOnly PeriodStart,
    [property: Id(1)] DateOnly PeriodEnd,
    [property: Id(2)] string PaymentId) : MemberEvent;

/// <summary>A new lot: a period's allocation, an add-on, a package, a bonus or an upward adjustment.</summary>
[GenerateSerializer, Immutable]
public sealed record CreditsAllocated(
    [property: Id(0)] string LotId,
    [property: Id(1)] string BenefitKey,
    [property: Id(2)] BenefitKind Kind,
    [property: Id(3)] LotSource Source,
    [property: Id(4)] long Quantity,
    [property: Id(5)] DateTimeOffset? ExpiresAt,
    [property: Id(6)] string? Reference = null) : MemberEvent;

[GenerateSerializer, Immutable]
public sealed record CreditsRedeemed(
    [property: Id(0)] string RedemptionId,
    [property: Id(1)] string BenefitKey,
    [property: Id(2)] long Quantity,
    [property: Id(3)] IReadOnlyList<LotDraw> Draws,
    [property: Id(4)] string? ServiceId = null,
    [property: Id(5)] string? CheckoutId = null) : MemberEvent;

[GenerateSerializer, Immutable]
public sealed record RedemptionVoided(
    [property: Id(0)] string RedemptionId,
    [property: Id(1)] string Reason) : MemberEvent;

/// <summary>
/// A staff correction. Upward, it creates the lot <see cref="LotId"/>; downward, it takes <see cref="Draws"/> from
/// existing lots, soonest-expiring first, like a redemption.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CreditsAdjusted(
    [property: Id(0)] string AdjustmentId,
    [property: Id(1)] string BenefitKey,
    [property: Id(2)] BenefitKind Kind,
    [property: Id(3)] long Quantity,
    [property: Id(4)] string Reason,
    [property: Id(5)] string? LotId,
    [property: Id(6)] DateTimeOffset? ExpiresAt,
    [property: Id(7)] IReadOnlyList<LotDraw> Draws) : MemberEvent;

[GenerateSerializer, Immutable]
public sealed record CreditsExpired(
    [property: Id(0)] string LotId,
    [property: Id(1)] string BenefitKey,
    [property: Id(2)] long Quantity,
    [property: Id(3)] ExpiryReason Reason) : MemberEvent;

/// <summary>Credits can be neither redeemed nor expire until unfrozen (pause, suspension).</summary>
[GenerateSerializer, Immutable]
public sealed record CreditsFrozen : MemberEvent;

/// <summary>Every dated lot's expiry moves back by <see cref="FrozenFor"/>, the time spent frozen.</summary>
[GenerateSerializer, Immutable]
public sealed record CreditsUnfrozen([property: Id(0)] TimeSpan FrozenFor) : MemberEvent;

[GenerateSerializer, Immutable]
public sealed record AddOnPurchased(
    [property: Id(0)] string PurchaseId,
    [property: Id(1)] string AddOnKey,
    [property: Id(2)] string LotId,
    [property: Id(3)] string PaymentId) : MemberEvent;

[GenerateSerializer, Immutable]
public sealed record CheckoutCompleted(
    [property: Id(0)] CheckoutRequest Request,
    [property: Id(1)] CheckoutReceipt Receipt) : MemberEvent;

/// <summary>
/// The member has a customer at the card processor, before any card is on file (a card setup was started): kept, so a
/// setup confirmed days later is found under the same customer.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ProcessorCustomerCreated([property: Id(0)] string CustomerId) : MemberEvent;

/// <summary>The card the member is billed on: the processor's customer and its default payment method.</summary>
[GenerateSerializer, Immutable]
public sealed record CardOnFileSaved(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] string PaymentMethodId,
    [property: Id(2)] string? Brand,
    [property: Id(3)] string? Last4,
    [property: Id(4)] int? ExpMonth,
    [property: Id(5)] int? ExpYear) : MemberEvent;

/// <summary>
/// A charge is about to be sent to the processor. Recorded before the call, so a crash before the answer leaves an
/// attempt to resolve with the same idempotency key, never a reason to charge anew. A buy-out's attempt carries the
/// cancellation it pays for (<see cref="BuyOut"/>), recorded when the charge is paid.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ChargeAttempted(
    [property: Id(0)] string AttemptId,
    [property: Id(1)] DateOnly PeriodStart,
    [property: Id(2)] int Attempt,
    [property: Id(3)] Money Amount,
    [property: Id(4)] string IdempotencyKey,
    [property: Id(5)] string PaymentMethodId,
    [property: Id(6)] ChargePurpose Purpose = ChargePurpose.Subscription,
    [property: Id(7)] string? PlanChangeId = null,
    [property: Id(8)] BuyOutTerms? BuyOut = null) : MemberEvent;

/// <summary>What the processor answered for an attempt (never <see cref="ChargeResult.Unknown"/>: an unknown outcome stays unresolved).</summary>
[GenerateSerializer, Immutable]
public sealed record ChargeResolved(
    [property: Id(0)] string AttemptId,
    [property: Id(1)] ChargeResult Result,
    [property: Id(2)] string? PaymentIntentId,
    [property: Id(3)] string? DeclineCode = null,
    [property: Id(4)] string? Message = null) : MemberEvent;

/// <summary>
/// A message the member (or the practice's staff) must receive: recorded when the decision is taken, delivered by the
/// notification outbox, so a mail server being down never blocks or undoes billing.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record NoticeIssued(
    [property: Id(0)] string NoticeId,
    [property: Id(1)] NoticeKind Kind,
    [property: Id(2)] string Email,
    [property: Id(3)] string Summary) : MemberEvent;
