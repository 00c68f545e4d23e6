namespace MedSpa.Members;

/// <summary>
/// A failed subscription charge left the period starting <see cref="PeriodStart"/> unpaid. Recorded after each failure
/// with what happens next: an automatic retry at <see cref="NextRetryAt"/>, or, when the card cannot be retried
/// automatically, suspension at <see cref="SuspendAt"/> unless the member fixes it first.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PaymentPastDue(
    [property: Id(0)] DateOnly PeriodStart,
    [property: Id(1)] int FailedAttempts,
    [property: Id(2)] DateTimeOffset FirstFailedAt,
    [property: Id(3)] DateTimeOffset? NextRetryAt,
    [property: Id(4)] DateTimeOffset? SuspendAt,
    [property: Id(5)] string? DeclineCode) : MemberEvent;

/// <summary>The membership is suspended for non-payment: no charges, credits frozen, included services blocked.</summary>
[GenerateSerializer, Immutable]
public sealed record MembershipSuspended(
    [property: Id(0)] DateOnly PeriodStart,
    [property: Id(1)] string Reason) : MemberEvent;

/// <summary>
/// The membership ended on <see cref="EffectiveOn"/>. <see cref="Involuntary"/> marks churn the member did not ask for
/// (suspended too long for non-payment), which reports count apart from cancellations the member chose.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record MembershipCancelled(
    [property: Id(0)] string Reason,
    [property: Id(1)] string? Note,
    [property: Id(2)] bool Involuntary,
    [property: Id(3)] DateOnly EffectiveOn) : MemberEvent;
