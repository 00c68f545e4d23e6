namespace MedSpa.Members;

/// <summary>How a cancellation inside the minimum term is settled.</summary>
public enum CancellationOption
{
    /// <summary>Billing carries on until the term end, when the membership ends. The default.</summary>
    ContinueToTermEnd,

    /// <summary>The remaining obligation is charged on the card at once and the membership ends with the current period.</summary>
    BuyOut,

    /// <summary>The term is met: the membership ends with the period already paid for.</summary>
    EndOfPeriod,
}

/// <summary>
/// Body of <c>POST /api/v1/members/{id}/cancellation</c>. <see cref="Reason"/> is one of price, relocation, not_using,
/// results, medical, other (other needs a <see cref="Note"/>). <see cref="Confirm"/> false only quotes.
/// <see cref="Withdraw"/> true withdraws a pending cancellation instead.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CancellationRequest(
    [property: Id(0)] string? Reason = null,
    [property: Id(1)] string? Note = null,
    [property: Id(2)] bool Confirm = false,
    [property: Id(3)] CancellationOption? Option = null,
    [property: Id(4)] bool Withdraw = false);

/// <summary>
/// Where a cancellation stands: quoted (nothing recorded), pending (confirmed, not yet effective) or withdrawn. A
/// buy-out is not confirmed until its charge is paid: <see cref="PaymentDeclined"/> (nothing changed but the attempt)
/// and <see cref="PaymentUnknown"/> (the processor's answer was lost; repeating the confirmation settles it) say why.
/// </summary>
public enum CancellationStage
{
    Quoted,
    Pending,
    Withdrawn,
    PaymentDeclined,
    PaymentUnknown,
}

/// <summary>
/// A cancellation as the member sees it before and after confirming. <see cref="BillingDates"/> are the billing dates
/// the <see cref="RemainingObligation"/> covers (after today, before the term end). <see cref="AttemptId"/> and
/// <see cref="DeclineCode"/> name the buy-out charge a confirmation is waiting on or was refused by.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CancellationView(
    [property: Id(0)] CancellationStage Stage,
    [property: Id(1)] bool TermMet,
    [property: Id(2)] DateOnly TermEnd,
    [property: Id(3)] DateOnly EffectiveOn,
    [property: Id(4)] CancellationOption Option,
    [property: Id(5)] Money RemainingObligation,
    [property: Id(6)] DateOnly[] BillingDates,
    [property: Id(7)] CancellationOption[] Options,
    [property: Id(8)] Money BuyOutCharge,
    [property: Id(9)] string Credits,
    [property: Id(10)] string? Reason = null,
    [property: Id(11)] string? Note = null,
    [property: Id(12)] string? AttemptId = null,
    [property: Id(13)] string? DeclineCode = null)
{
    /// <summary>
    /// Every option the quote offers, each with exactly what it charges now, what billing still takes and when the
    /// membership ends: the figures a page shows beside each choice and the ones confirming it acts on.
    /// </summary>
    [Id(14)] public CancellationChoice[] Choices { get; init; } = [];

    /// <summary>What confirming charged the card at once (a paid buy-out), or zero.</summary>
    [Id(15)] public Money? ChargedNow { get; init; }
}

/// <summary>
/// One way to cancel, as quoted: <see cref="ChargeNow"/> is taken from the card on confirming, <see cref="BilledLater"/>
/// on <see cref="BillingDates"/> as usual, and the membership ends on <see cref="EffectiveOn"/>; <see cref="Credits"/>
/// says what becomes of the credits.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CancellationChoice(
    [property: Id(0)] CancellationOption Option,
    [property: Id(1)] Money ChargeNow,
    [property: Id(2)] Money BilledLater,
    [property: Id(3)] DateOnly[] BillingDates,
    [property: Id(4)] DateOnly EffectiveOn,
    [property: Id(5)] string Credits);

/// <summary>Body of <c>POST /api/v1/members/{id}/pause</c>: a number of days, or the date it resumes on; not both.</summary>
[GenerateSerializer, Immutable]
public sealed record PauseRequest(
    [property: Id(0)] int? Days = null,
    [property: Id(1)] DateOnly? Until = null);

/// <summary>Body of <c>POST /api/v1/members/{id}/reactivation</c>: the enrolment agreement; the plan defaults to the one the member left.</summary>
[GenerateSerializer, Immutable]
public sealed record ReactivationRequest(
    [property: Id(0)] AgreementAcceptance Agreement,
    [property: Id(1)] string? PlanId = null);
