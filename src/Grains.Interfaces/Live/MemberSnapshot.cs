using MedSpa.Members;
using MedSpa.Plans;

namespace MedSpa.Live;

/// <summary>
/// What a dashboard shows of a member, pushed on every change to a balance or the status (client event
/// <c>memberChanged</c>). <see cref="Version"/> is the member's last event sequence number: pushes can arrive late,
/// twice or out of order (one through the member's group, one through the location's), so a page keeps the highest.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record MemberSnapshot(
    [property: Id(0)] string MemberId,
    [property: Id(1)] long Version,
    [property: Id(2)] string HomeLocationId,
    [property: Id(3)] string DisplayName,
    [property: Id(4)] MembershipStatus Status,
    [property: Id(5)] string? PlanName,
    [property: Id(6)] bool Frozen,
    [property: Id(7)] IReadOnlyList<BenefitSnapshot> Benefits);

/// <summary>
/// One balance: <see cref="Remaining"/> units, or minor units of <see cref="Currency"/> when it is money;
/// <see cref="SoonestExpiry"/> is when the first of it lapses (null: nothing left, or nothing that lapses).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record BenefitSnapshot(
    [property: Id(0)] string Key,
    [property: Id(1)] string Label,
    [property: Id(2)] BenefitKind Kind,
    [property: Id(3)] long Remaining,
    [property: Id(4)] string? Currency,
    [property: Id(5)] DateTimeOffset? SoonestExpiry);

/// <summary>The schedule of a location changed on a date (its local date): client event <c>scheduleChanged</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record ScheduleChange(
    [property: Id(0)] string LocationId,
    [property: Id(1)] DateOnly Date);

/// <summary>
/// Configuration section <c>Live</c>, read by the hub-list grain and by every web node: a node renews its
/// subscription every <see cref="NodeRenewal"/>, and one not heard from for <see cref="NodeExpiry"/> is dropped. The
/// list lives in memory, so the renewal is also how long a list reactivated after its silo was lost stays incomplete.
/// </summary>
public sealed class LiveOptions
{
    public const string Section = "Live";

    public TimeSpan NodeRenewal { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan NodeExpiry { get; set; } = TimeSpan.FromMinutes(2);
}
