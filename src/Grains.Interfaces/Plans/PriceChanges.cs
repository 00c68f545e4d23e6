namespace MedSpa.Plans;

/// <summary>
/// Body of <c>POST /api/v1/plans/{id}/price-changes</c>. <see cref="NoticeDays"/> defaults to the practice's notice
/// period (30 days); <see cref="ChangeId"/> makes the request safe to repeat, and repeating it finishes telling members.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PriceChangeRequest(
    [property: Id(0)] Money NewPrice,
    [property: Id(1)] int? NoticeDays = null,
    [property: Id(2)] string? ChangeId = null);

/// <summary>A new price the plan's members are told of and, once they confirm, pay from their effective date.</summary>
[GenerateSerializer, Immutable]
public sealed record ScheduledPriceChange(
    [property: Id(0)] string ChangeId,
    [property: Id(1)] string PlanId,
    [property: Id(2)] Money OldPrice,
    [property: Id(3)] Money NewPrice,
    [property: Id(4)] int NoticeDays,
    [property: Id(5)] DateTimeOffset ScheduledAt);

/// <summary>
/// The answer of scheduling a price change: the change, how many members the plan's roster lists, and how many of them
/// the change concerns and have been told of it (by this call or an earlier one). Each told member pays the new price
/// from their own first billing date after the notice period, as their grain decided when telling them: the earliest
/// and the latest of those dates, none when nobody was told.
/// </summary>
public sealed record PriceChangeFanOut(
    ScheduledPriceChange Change, int MembersListed, int MembersNotified, DateOnly? FirstEffectiveFrom = null, DateOnly? LastEffectiveFrom = null);
