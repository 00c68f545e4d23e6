using Orleans.Concurrency;

namespace MedSpa.Plans;

/// <summary>
/// A membership tier (key <c>plan_&lt;slug&gt;</c>, e.g. <c>plan_premium</c>). Editing the terms adds a version;
/// members stay on the version they enrolled on.
/// </summary>
public interface IPlanGrain : IGrainWithStringKey
{
    /// <summary>Creates the plan with its first version. 409 <c>plan_exists</c> when it already exists.</summary>
    Task<Plan> CreateAsync(PlanTerms terms);

    /// <summary>Adds a version with new terms. 404 <c>plan_not_found</c> when the plan does not exist.</summary>
    Task<Plan> ReviseAsync(PlanTerms terms);

    /// <summary>The plan with every version. 404 <c>plan_not_found</c>.</summary>
    [ReadOnly]
    Task<Plan> GetAsync();

    /// <summary>
    /// Records a price increase. The same change id with the same request returns the change recorded first (so the
    /// caller can finish telling members); with another request it is 409 <c>change_id_reused</c>.
    /// </summary>
    Task<ScheduledPriceChange> SchedulePriceChangeAsync(PriceChangeRequest request);

    /// <summary>Every price change scheduled on the plan, oldest first.</summary>
    [ReadOnly]
    Task<ScheduledPriceChange[]> GetPriceChangesAsync();
}

[GenerateSerializer, Immutable]
public sealed record Plan(
    [property: Id(0)] string Id,
    [property: Id(1)] DateTimeOffset CreatedAt,
    [property: Id(2)] IReadOnlyList<PlanVersion> Versions)
{
    public PlanVersion Current => Versions[^1];
}

[GenerateSerializer, Immutable]
public sealed record PlanVersion(
    [property: Id(0)] string PlanId,
    [property: Id(1)] int Version,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] PlanTerms Terms);

/// <summary>What a tier sells: price, term, benefits and rules. The body of POST and PUT <c>/api/v1/plans</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record PlanTerms(
    [property: Id(0)] string Name,
    [property: Id(1)] string? Description,
    [property: Id(2)] Money MonthlyPrice,
    [property: Id(3)] int MinimumTermMonths,
    [property: Id(4)] IReadOnlyList<Benefit> Benefits,
    [property: Id(5)] IReadOnlyList<AddOn>? AddOns = null,
    [property: Id(6)] PauseRules? Pause = null,
    [property: Id(7)] CancellationPolicy Cancellation = CancellationPolicy.ContinueToTermEnd,
    [property: Id(8)] ReactivationOffer? ReactivationOffer = null,
    [property: Id(9)] IReadOnlyList<string>? LocationIds = null);

public enum BenefitKind
{
    /// <summary>A number of treatments of a service or of any service in a category, per period.</summary>
    TreatmentUnits,

    /// <summary>An amount of money to spend on a category, per period.</summary>
    DollarCredit,

    /// <summary>A percentage off a category (or all retail when no category); a perk with no balance.</summary>
    Discount,
}

/// <summary>
/// One benefit of a tier. <see cref="Key"/> names the balance it feeds (<c>units:svc_…</c>, <c>units:neurotoxin</c>,
/// <c>dollars:facial</c>, <c>discount:all</c>); the plan sets it, so a request may leave it out.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Benefit(
    [property: Id(0)] BenefitKind Kind,
    [property: Id(1)] string? ServiceId = null,
    [property: Id(2)] string? Category = null,
    [property: Id(3)] int? Units = null,
    [property: Id(4)] Money? Amount = null,
    [property: Id(5)] int? Percent = null,
    [property: Id(6)] Rollover? Rollover = null,
    [property: Id(7)] string? Key = null);

/// <summary>Unused credit rolls over instead of expiring, up to <see cref="MaxAccumulation"/> (units, or minor units).</summary>
[GenerateSerializer, Immutable]
public sealed record Rollover([property: Id(0)] long MaxAccumulation);

/// <summary>Extra credit a member can buy; it lasts <see cref="ValidForDays"/> days. <see cref="Key"/> is set by the plan.</summary>
[GenerateSerializer, Immutable]
public sealed record AddOn(
    [property: Id(0)] string Name,
    [property: Id(1)] Money Price,
    [property: Id(2)] BenefitKind Kind,
    [property: Id(3)] string? ServiceId = null,
    [property: Id(4)] string? Category = null,
    [property: Id(5)] int? Units = null,
    [property: Id(6)] Money? Amount = null,
    [property: Id(7)] int ValidForDays = 365,
    [property: Id(8)] string? Key = null);

[GenerateSerializer, Immutable]
public sealed record PauseRules(
    [property: Id(0)] int MaxDays = 60,
    [property: Id(1)] int TimesPer12Months = 1);

public enum CancellationPolicy
{
    /// <summary>Before the minimum term is met, billing continues until the term end.</summary>
    ContinueToTermEnd,

    /// <summary>Before the minimum term is met, the member may pay the remaining obligation at once.</summary>
    BuyOut,
}

/// <summary>
/// What a lapsed member is offered to come back: a discount on the first month, bonus units, or both.
/// <see cref="SendAfterDays"/>: null, staff send it by hand; otherwise it goes out by itself that many days after the
/// membership ended (1 to 89, inside the 90 days a lapsed member can be won back), at the charge time of day.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ReactivationOffer(
    [property: Id(0)] int FirstMonthDiscountPercent = 0,
    [property: Id(1)] string? BonusBenefitKey = null,
    [property: Id(2)] long BonusQuantity = 0,
    [property: Id(3)] int? SendAfterDays = null);
