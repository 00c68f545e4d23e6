namespace MedSpa.Reporting;

/// <summary>
/// What every report is asked for: the days [<see cref="From"/>, <see cref="To"/>] (local dates), one home location or
/// all, and whether tiers are split by plan version (by default a tier is a plan, whatever its edits).
/// Monthly figures are for each calendar month the range touches; a state (members, MRR, open credits) is as it stood at
/// the end of the month's last day in the range, and a count (new members, cancellations) covers the month's days in it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ReportQuery(
    [property: Id(0)] DateOnly From,
    [property: Id(1)] DateOnly To,
    [property: Id(2)] string? LocationId = null,
    [property: Id(3)] bool ByVersion = false);

/// <summary>Reads the reporting projection, bringing it up to date with the log first.</summary>
public interface IReportsGrain : IGrainWithStringKey
{
    const string Key = "practice";

    Task<MrrReport> GetMrrAsync(ReportQuery query);

    Task<ActiveMembersReport> GetActiveMembersAsync(ReportQuery query);

    Task<ChurnReport> GetChurnAsync(ReportQuery query);

    Task<CreditUtilisationReport> GetCreditUtilisationAsync(ReportQuery query);

    Task<RevenuePerClientReport> GetRevenuePerClientAsync(ReportQuery query);

    Task<TierMigrationReport> GetTierMigrationAsync(ReportQuery query);

    Task<LiabilityReport> GetLiabilityAsync(ReportQuery query);

    Task<AtRiskReport> GetAtRiskAsync(ReportQuery query);
}

/// <summary>
/// Keeps the reporting projection folded up to the end of the log. One per deployment: its turns never overlap, and
/// the database lock it writes under keeps even two activations (a split cluster) from folding an event twice.
/// </summary>
public interface IReportProjectorGrain : IGrainWithStringKey
{
    const string Key = "practice";

    [ResponseTimeout("00:30:00")]
    Task<ProjectionRun> CatchUpAsync();

    /// <summary>Throws the projection away and folds the whole log again, in one transaction: readers see the old figures until it commits.</summary>
    [ResponseTimeout("02:00:00")]
    Task<ProjectionRun> RebuildAsync();
}

/// <summary>What a projector run folded: clients touched and events read past what was already in.</summary>
[GenerateSerializer, Immutable]
public sealed record ProjectionRun(
    [property: Id(0)] int Members,
    [property: Id(1)] long Events,
    [property: Id(2)] bool Rebuilt);

/// <summary>A tier as reported: the plan (and its version when asked), with the plan's current name.</summary>
[GenerateSerializer, Immutable]
public sealed record Tier(
    [property: Id(0)] string PlanId,
    [property: Id(1)] string PlanName,
    [property: Id(2)] int? PlanVersion);

[GenerateSerializer, Immutable]
public sealed record MrrReport(
    [property: Id(0)] ReportQuery Query,
    [property: Id(1)] string Currency,
    [property: Id(2)] IReadOnlyList<MrrRow> Months);

/// <summary>Monthly recurring revenue of a tier at the end of a month: active, paying memberships at their own price (minor units).</summary>
[GenerateSerializer, Immutable]
public sealed record MrrRow(
    [property: Id(0)] string Month,
    [property: Id(1)] string PlanId,
    [property: Id(2)] string PlanName,
    [property: Id(3)] int? PlanVersion,
    [property: Id(4)] long ActiveMembers,
    [property: Id(5)] long Mrr);

[GenerateSerializer, Immutable]
public sealed record ActiveMembersReport(
    [property: Id(0)] ReportQuery Query,
    [property: Id(1)] IReadOnlyList<ActiveMembersRow> Months);

/// <summary>
/// A tier in a month: how many memberships stood in each state at its end, and how many joined, came back, paused,
/// were suspended and ended during it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ActiveMembersRow(
    [property: Id(0)] string Month,
    [property: Id(1)] string PlanId,
    [property: Id(2)] string PlanName,
    [property: Id(3)] int? PlanVersion,
    [property: Id(4)] long Active,
    [property: Id(5)] long PastDue,
    [property: Id(6)] long Paused,
    [property: Id(7)] long Suspended,
    [property: Id(8)] long New,
    [property: Id(9)] long Reactivated,
    [property: Id(10)] long PausesStarted,
    [property: Id(11)] long Suspensions,
    [property: Id(12)] long Cancelled);

[GenerateSerializer, Immutable]
public sealed record ChurnReport(
    [property: Id(0)] ReportQuery Query,
    [property: Id(1)] IReadOnlyList<ChurnRow> Months,
    [property: Id(2)] IReadOnlyList<ChurnReasonRow> Reasons);

/// <summary>
/// Memberships that ended in a month, against those that could have (active, past due, paused or suspended at the
/// end of the month before). Involuntary churn is cancellation for non-payment. Rates are fractions, to 4 places.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ChurnRow(
    [property: Id(0)] string Month,
    [property: Id(1)] long MembersAtStart,
    [property: Id(2)] long Voluntary,
    [property: Id(3)] long Involuntary,
    [property: Id(4)] decimal VoluntaryRate,
    [property: Id(5)] decimal InvoluntaryRate,
    [property: Id(6)] decimal ChurnRate);

[GenerateSerializer, Immutable]
public sealed record ChurnReasonRow(
    [property: Id(0)] string Month,
    [property: Id(1)] string Reason,
    [property: Id(2)] bool Involuntary,
    [property: Id(3)] long Cancelled);

[GenerateSerializer, Immutable]
public sealed record CreditUtilisationReport(
    [property: Id(0)] ReportQuery Query,
    [property: Id(1)] IReadOnlyList<CreditUtilisationRow> Months);

/// <summary>
/// A tier's credits in a month, by the plan they were granted under: <see cref="Kind"/> <c>units</c> counts treatments,
/// <c>dollars</c> minor units. <see cref="Open"/> is what is left at the month's end; <see cref="Adjusted"/> is staff
/// corrections, signed. A lot counts as expired on the day it lapses (its expiry, or the end of the membership), even
/// before anything in the member's log has recorded it. Rates are of what was allocated in the month, to 4 places (0
/// when nothing was).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CreditUtilisationRow(
    [property: Id(0)] string Month,
    [property: Id(1)] string PlanId,
    [property: Id(2)] string PlanName,
    [property: Id(3)] int? PlanVersion,
    [property: Id(4)] string Kind,
    [property: Id(5)] long Allocated,
    [property: Id(6)] long Redeemed,
    [property: Id(7)] long Expired,
    [property: Id(8)] long Adjusted,
    [property: Id(9)] long Open,
    [property: Id(10)] decimal RedemptionRate,
    [property: Id(11)] decimal ExpiryRate);

[GenerateSerializer, Immutable]
public sealed record RevenuePerClientReport(
    [property: Id(0)] ReportQuery Query,
    [property: Id(1)] string Currency,
    [property: Id(2)] IReadOnlyList<RevenuePerClientRow> Months);

/// <summary>
/// Revenue of a month for one treatment type (a service category, or <c>membership</c>, <c>add_on</c>,
/// <c>refund</c>), from members and from other clients, and per paying client of each kind that month (minor units,
/// rounded half away from zero). A client is a member while their membership is live; a membership charge is
/// always a member's.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RevenuePerClientRow(
    [property: Id(0)] string Month,
    [property: Id(1)] string TreatmentType,
    [property: Id(2)] long MemberRevenue,
    [property: Id(3)] long NonMemberRevenue,
    [property: Id(4)] long PayingMembers,
    [property: Id(5)] long PayingNonMembers,
    [property: Id(6)] long PerMember,
    [property: Id(7)] long PerNonMember);

[GenerateSerializer, Immutable]
public sealed record TierMigrationReport(
    [property: Id(0)] ReportQuery Query,
    [property: Id(1)] IReadOnlyList<Tier> Tiers,
    [property: Id(2)] IReadOnlyList<TierMigrationRow> Moves);

/// <summary>How many members moved from one tier to another in the range (the cells of the upgrade/downgrade matrix).</summary>
[GenerateSerializer, Immutable]
public sealed record TierMigrationRow(
    [property: Id(0)] string FromPlanId,
    [property: Id(1)] string FromPlanName,
    [property: Id(2)] int? FromPlanVersion,
    [property: Id(3)] string ToPlanId,
    [property: Id(4)] string ToPlanName,
    [property: Id(5)] int? ToPlanVersion,
    [property: Id(6)] string Direction,
    [property: Id(7)] long Moves);

[GenerateSerializer, Immutable]
public sealed record LiabilityReport(
    [property: Id(0)] ReportQuery Query,
    [property: Id(1)] string Currency,
    [property: Id(2)] IReadOnlyList<LiabilityRow> Months);

/// <summary>
/// At a month's end, a tier's open credits valued at list price (a unit at its service's price, or at the dearest
/// service of its category; a dollar credit at face value), and the membership revenue paid for days not yet served:
/// each period's payment, and each upgrade's charge from the change day to the period's end, less a share per day.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LiabilityRow(
    [property: Id(0)] string Month,
    [property: Id(1)] string PlanId,
    [property: Id(2)] string PlanName,
    [property: Id(3)] int? PlanVersion,
    [property: Id(4)] long OpenUnits,
    [property: Id(5)] long OpenUnitsValue,
    [property: Id(6)] long OpenDollarCredits,
    [property: Id(7)] long DeferredRevenue);

[GenerateSerializer, Immutable]
public sealed record AtRiskReport(
    [property: Id(0)] ReportQuery Query,
    [property: Id(1)] IReadOnlyList<AtRiskRow> Members);

/// <summary>
/// A live member worth a call, as of the range's last day, and why (<c>falling_visits</c>, <c>credits_expiring</c>,
/// <c>card_expiring</c>, separated by spaces): visits in the last 90 days at most half those of the 90 before (and at
/// least two then), an untouched lot expiring within 14 days, or a card that expires within 60 days or has. Dates are
/// in the member's own time zone; untouched units and dollar credits (minor units) are counted apart.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AtRiskRow(
    [property: Id(0)] string MemberId,
    [property: Id(1)] string Name,
    [property: Id(2)] string Email,
    [property: Id(3)] string PlanId,
    [property: Id(4)] string PlanName,
    [property: Id(5)] string LocationId,
    [property: Id(6)] string Reasons,
    [property: Id(7)] int VisitsLast90Days,
    [property: Id(8)] int VisitsPrior90Days,
    [property: Id(9)] long UnusedExpiringUnits,
    [property: Id(10)] long UnusedExpiringDollarCredits,
    [property: Id(11)] DateOnly? CreditsExpireOn,
    [property: Id(12)] DateOnly? CardExpires);
