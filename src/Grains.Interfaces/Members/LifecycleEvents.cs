using MedSpa.Plans;

namespace MedSpa.Members;

/// <summary>
/// The member asked to leave. The membership runs (and is billed) until <see cref="EffectiveOn"/>, then ends; until
/// then it can be withdrawn. <see cref="Obligation"/> is what the minimum term still owed when it was asked; with
/// <see cref="BoughtOut"/> that sum was charged on the card (and paid) before this was recorded, and the membership
/// ends with the current period.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CancellationRequested(
    [property: Id(0)] string Reason,
    [property: Id(1)] string? Note,
    [property: Id(2)] CancellationOption Option,
    [property: Id(3)] DateOnly EffectiveOn,
    [property: Id(4)] Money Obligation,
    [property: Id(5)] bool BoughtOut) : MemberEvent;

/// <summary>
/// What a buy-out charge is for, carried on its <see cref="ChargeAttempted"/>: the cancellation is recorded only once
/// the charge is paid, possibly later (the billing run settling a lost answer), so the request travels with it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record BuyOutTerms(
    [property: Id(0)] string Reason,
    [property: Id(1)] string? Note,
    [property: Id(2)] DateOnly EffectiveOn);

/// <summary>The member changed their mind before the cancellation took effect: the membership carries on as before.</summary>
[GenerateSerializer, Immutable]
public sealed record CancellationWithdrawn([property: Id(0)] DateOnly WasEffectiveOn) : MemberEvent;

/// <summary>
/// Billing stops from <see cref="From"/> and the credits freeze; the membership resumes by itself on
/// <see cref="Until"/> (at the charge time) unless resumed earlier. <see cref="PaidUntil"/> is the end of the paid
/// period the pause froze: the period is extended by the days actually paused, so the next charge moves by as many.
/// </summary>
/// <remarks>
/// Pauses recorded before the freeze rule carry <see cref="UnusedPaid"/> instead (the value of the paid days the pause
/// cut short, taken off the first charge after it, the resume date starting a new period); they still fold that way.
/// </remarks>
[GenerateSerializer, Immutable]
public sealed record MembershipPaused(
    [property: Id(0)] DateOnly From,
    [property: Id(1)] DateOnly Until,
    [property: Id(2)] Money? UnusedPaid = null,
    [property: Id(3)] DateOnly? PaidUntil = null) : MemberEvent;

/// <summary>
/// The pause ended on <see cref="On"/>; the credits' expiry moved back by the time paused (a
/// <see cref="CreditsUnfrozen"/> beside this event), and <see cref="AnchorDay"/> is the day of the month billed from now on.
/// </summary>
/// <remarks>
/// <see cref="NextPeriodStart"/>, set by the freeze rule, is the frozen period's end moved by the days paused: the next
/// charge and the new anchor day. Without it (pauses recorded before the rule) the resume date starts a new period.
/// </remarks>
[GenerateSerializer, Immutable]
public sealed record MembershipResumed(
    [property: Id(0)] DateOnly On,
    [property: Id(1)] int AnchorDay,
    [property: Id(2)] bool Automatically,
    [property: Id(3)] DateOnly? NextPeriodStart = null) : MemberEvent;

/// <summary>A lapsed member was sent the plan's offer to come back, valid until <see cref="ValidUntil"/> (inclusive, local date).</summary>
[GenerateSerializer, Immutable]
public sealed record ReactivationOffered(
    [property: Id(0)] string OfferId,
    [property: Id(1)] string PlanId,
    [property: Id(2)] ReactivationOffer Offer,
    [property: Id(3)] DateOnly LapsedOn,
    [property: Id(4)] DateOnly ValidUntil) : MemberEvent;

/// <summary>The member came back on the offer: the enrolment beside this event has the offer applied to its first period.</summary>
[GenerateSerializer, Immutable]
public sealed record ReactivationAccepted([property: Id(0)] string OfferId) : MemberEvent;
