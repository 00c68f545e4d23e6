namespace MedSpa.Members;

public enum PlanChangeDirection
{
    /// <summary>Dearer: at once, the rest of the period charged at the difference.</summary>
    Upgrade,

    /// <summary>Same price, another mix of benefits: at once, nothing charged.</summary>
    Lateral,

    /// <summary>Cheaper: at the next billing date; nothing is refunded.</summary>
    Downgrade,
}

/// <summary>
/// Body of <c>POST /api/v1/members/{id}/plan-change</c>. <see cref="Confirm"/> false only quotes. <see cref="ChangeId"/>
/// makes a confirmed change safe to retry; one is made up when it is left out.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PlanChangeRequest(
    [property: Id(0)] string PlanId,
    [property: Id(1)] bool Confirm = false,
    [property: Id(2)] string? ChangeId = null);

public enum PlanChangeStatus
{
    /// <summary>Only a quote: nothing was recorded.</summary>
    Quoted,

    /// <summary>The membership is on the new plan now.</summary>
    Applied,

    /// <summary>The membership moves to the new plan at <see cref="PlanChangeOutcome.EffectiveOn"/>.</summary>
    Scheduled,

    /// <summary>A scheduled downgrade was withdrawn: the member stays on their plan.</summary>
    Withdrawn,

    /// <summary>The upgrade's charge was declined: the member stays on their plan.</summary>
    Declined,

    /// <summary>The processor's answer is not known yet: the charge is being resolved; retry with the same change id.</summary>
    Pending,

    /// <summary>A scheduled downgrade replaced by a later request before it took effect.</summary>
    Superseded,
}

/// <summary>Extra credit an upgrade grants for the rest of the period, per benefit.</summary>
[GenerateSerializer, Immutable]
public sealed record ExtraCredit(
    [property: Id(0)] string BenefitKey,
    [property: Id(1)] Plans.BenefitKind Kind,
    [property: Id(2)] long Quantity);

/// <summary>What a plan change costs and does, quoted or done.</summary>
[GenerateSerializer, Immutable]
public sealed record PlanChangeOutcome(
    [property: Id(0)] PlanChangeStatus Status,
    [property: Id(1)] string? ChangeId,
    [property: Id(2)] PlanChangeDirection Direction,
    [property: Id(3)] string FromPlanId,
    [property: Id(4)] string ToPlanId,
    [property: Id(5)] int ToVersion,
    [property: Id(6)] Money Charge,
    [property: Id(7)] DateOnly EffectiveOn,
    [property: Id(8)] int RemainingDays,
    [property: Id(9)] int DaysInPeriod,
    [property: Id(10)] ExtraCredit[] ExtraCredits,
    [property: Id(11)] MembershipView Membership,
    [property: Id(12)] string? AttemptId = null,
    [property: Id(13)] string? DeclineCode = null,
    [property: Id(14)] string? DeclineMessage = null)
{
    /// <summary>
    /// Rolled-over credit of a benefit the new plan does not include, and the date it ends: it is not carried into a
    /// period of the new plan. Quoted before the change is confirmed, so the member knows what they give up.
    /// </summary>
    [Id(15)] public EndingCredit[] CreditsEnding { get; init; } = [];
}

/// <summary>Credit that ends on <see cref="EndsOn"/> (local date) because the plan it came with is being left.</summary>
[GenerateSerializer, Immutable]
public sealed record EndingCredit(
    [property: Id(0)] string BenefitKey,
    [property: Id(1)] Plans.BenefitKind Kind,
    [property: Id(2)] long Quantity,
    [property: Id(3)] DateOnly EndsOn);

/// <summary>A downgrade waiting for the next billing date, as the membership view shows it.</summary>
[GenerateSerializer, Immutable]
public sealed record PendingPlanChangeView(
    [property: Id(0)] string ChangeId,
    [property: Id(1)] string PlanId,
    [property: Id(2)] int PlanVersion,
    [property: Id(3)] string PlanName,
    [property: Id(4)] Money Price,
    [property: Id(5)] DateOnly EffectiveOn);

/// <summary>
/// One price increase as it stands for one member: when they were told, from when it may apply, whether they agreed.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record MemberPriceChangeView(
    [property: Id(0)] string MemberId,
    [property: Id(1)] string FullName,
    [property: Id(2)] string Email,
    [property: Id(3)] string ChangeId,
    [property: Id(4)] string PlanId,
    [property: Id(5)] Money NewPrice,
    [property: Id(6)] DateTimeOffset NotifiedAt,
    [property: Id(7)] DateOnly EffectiveFrom,
    [property: Id(8)] bool Confirmed,
    [property: Id(9)] DateTimeOffset? ConfirmedAt = null,
    [property: Id(10)] string? ConfirmedVia = null,
    [property: Id(11)] bool AwaitsConfirmation = false);

/// <summary>What the plan grain tells each member about a scheduled price change.</summary>
[GenerateSerializer, Immutable]
public sealed record PriceIncreaseNotice(
    [property: Id(0)] string ChangeId,
    [property: Id(1)] string PlanId,
    [property: Id(2)] Money NewPrice,
    [property: Id(3)] int NoticeDays);

/// <summary>Body of <c>POST /api/v1/members/{id}/price-changes/{changeId}/confirmation</c>: <c>portal</c> or <c>desk</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record PriceIncreaseConfirmation([property: Id(0)] string? ConfirmedVia = null);
