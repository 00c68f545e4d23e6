namespace MedSpa.Members;

/// <summary>
/// What a plan change does, fixed when it is confirmed: the terms it moves to are kept here so that what applies
/// (at the upgrade's charge or at the next billing date) is exactly what was quoted, whatever the plan looks like by
/// then. <see cref="RemainingDays"/> of <see cref="DaysInPeriod"/> counts the change date itself.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PlanChangeTerms(
    [property: Id(0)] PlanChangeDirection Direction,
    [property: Id(1)] string FromPlanId,
    [property: Id(2)] int FromVersion,
    [property: Id(3)] EnrolledPlan To,
    [property: Id(4)] Money Charge,
    [property: Id(5)] DateOnly ChangeDate,
    [property: Id(6)] DateOnly EffectiveOn,
    [property: Id(7)] int RemainingDays,
    [property: Id(8)] int DaysInPeriod,
    [property: Id(9)] ExtraCredit[] ExtraCredits);

/// <summary>An upgrade confirmed and waiting for its prorated charge; only a paid charge applies it.</summary>
[GenerateSerializer, Immutable]
public sealed record PlanChangeRequested(
    [property: Id(0)] string ChangeId,
    [property: Id(1)] PlanChangeTerms Terms) : MemberEvent;

/// <summary>
/// The membership moved to another plan version. The anchor day, term end and signed agreement stay as they were;
/// <see cref="PaymentId"/> is the upgrade's prorated charge (null when nothing was charged).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PlanChanged(
    [property: Id(0)] string ChangeId,
    [property: Id(1)] PlanChangeTerms Terms,
    [property: Id(2)] string? PaymentId = null) : MemberEvent;

/// <summary>A downgrade waits for the next billing date: the member keeps what they paid for until then.</summary>
[GenerateSerializer, Immutable]
public sealed record PlanChangeScheduled(
    [property: Id(0)] string ChangeId,
    [property: Id(1)] PlanChangeTerms Terms) : MemberEvent;

/// <summary>The member asked (by <see cref="ChangeId"/>) to stay on their plan: the scheduled downgrade will not happen.</summary>
[GenerateSerializer, Immutable]
public sealed record PlanChangeWithdrawn(
    [property: Id(0)] string ChangeId,
    [property: Id(1)] string WithdrawnChangeId) : MemberEvent;

/// <summary>
/// The member was told their plan's price goes up. It can apply from <see cref="EffectiveFrom"/>, the first billing
/// date at least the notice period after this notice, and only once they confirm.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PriceIncreaseNotified(
    [property: Id(0)] string ChangeId,
    [property: Id(1)] string PlanId,
    [property: Id(2)] Money NewPrice,
    [property: Id(3)] DateOnly EffectiveFrom,
    [property: Id(4)] int NoticeDays) : MemberEvent;

/// <summary>The member agreed to the new price, in the portal or at the desk (<see cref="ConfirmedVia"/>).</summary>
[GenerateSerializer, Immutable]
public sealed record PriceIncreaseConfirmed(
    [property: Id(0)] string ChangeId,
    [property: Id(1)] string ConfirmedVia) : MemberEvent;
