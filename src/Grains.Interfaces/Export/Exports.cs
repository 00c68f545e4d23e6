using MedSpa.Members;

namespace MedSpa.Export;

/// <summary>
/// The practice's own records, read page by page so a practice of any size is exported without holding it in memory:
/// each page covers the next clients by id after <see cref="ExportRequest.After"/>, and says where the next one starts.
/// Every row is derived from the member's event log the same way the member's own API answers are.
/// </summary>
public interface IExportGrain : IGrainWithStringKey
{
    const string Key = "practice";

    /// <summary>Clients scanned per page by default: small enough to answer quickly, large enough to keep round trips few.</summary>
    const int DefaultPageSize = 100;

    /// <summary>One row per client. 503 <c>exports_need_postgres</c> when the silo keeps its data in memory.</summary>
    Task<ExportPage<ExportedMember>> GetMembersAsync(ExportRequest request);

    /// <summary>One row per client who has enrolled (their current or last membership).</summary>
    Task<ExportPage<ExportedMembership>> GetMembershipsAsync(ExportRequest request);

    /// <summary>Every ledger line of every client, in each client's log order.</summary>
    Task<ExportPage<ExportedLedgerEntry>> GetLedgerAsync(ExportRequest request);
}

/// <summary>The page after client <see cref="After"/> (from the start when null), of clients homed at <see cref="LocationId"/> or all.</summary>
[GenerateSerializer, Immutable]
public sealed record ExportRequest(
    [property: Id(0)] string? After = null,
    [property: Id(1)] string? LocationId = null,
    [property: Id(2)] int PageSize = IExportGrain.DefaultPageSize);

/// <summary>
/// A page of rows and the client the next page starts after; null when the log has no client after this page. A page
/// may hold no rows (none of its clients matched) and still have a next one.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ExportPage<T>(
    [property: Id(0)] IReadOnlyList<T> Rows,
    [property: Id(1)] string? Next);

/// <summary>A line of <c>members.csv</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record ExportedMember(
    [property: Id(0)] string MemberId,
    [property: Id(1)] string FirstName,
    [property: Id(2)] string LastName,
    [property: Id(3)] string Email,
    [property: Id(4)] string? Phone,
    [property: Id(5)] string HomeLocationId,
    [property: Id(6)] DateTimeOffset RegisteredAt,
    [property: Id(7)] Registrar RegisteredBy,
    [property: Id(8)] MembershipStatus MembershipStatus,
    [property: Id(9)] string? PlanName,
    [property: Id(10)] DateOnly? MemberSince);

/// <summary>
/// A line of <c>memberships.csv</c>. Money is in minor units of <see cref="Currency"/>, as the reports' CSV writes it;
/// dates are local to the member's <see cref="TimeZone"/>. The cancellation is the one pending or, once cancelled, the last.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ExportedMembership(
    [property: Id(0)] string MemberId,
    [property: Id(1)] string MemberName,
    [property: Id(2)] string HomeLocationId,
    [property: Id(3)] MembershipStatus Status,
    [property: Id(4)] string PlanId,
    [property: Id(5)] string PlanName,
    [property: Id(6)] int PlanVersion,
    [property: Id(7)] long MonthlyPrice,
    [property: Id(8)] string Currency,
    [property: Id(9)] string TimeZone,
    [property: Id(10)] DateOnly EnrolledOn,
    [property: Id(11)] int AnchorDay,
    [property: Id(12)] DateOnly? CurrentPeriodStart,
    [property: Id(13)] DateOnly? NextBillingDate,
    [property: Id(14)] long? NextPrice,
    [property: Id(15)] long? AmountDue,
    [property: Id(16)] DateOnly MinimumTermEnd,
    [property: Id(17)] DateOnly? PausedUntil,
    [property: Id(18)] DateOnly? CancellationEffectiveOn,
    [property: Id(19)] string? CancellationReason,
    [property: Id(20)] bool? CancellationInvoluntary,
    [property: Id(21)] bool CardOnFile,
    [property: Id(22)] string? CardBrand,
    [property: Id(23)] string? CardLast4);

/// <summary>
/// A line of <c>ledger.csv</c>: one entry of <c>GET /api/v1/members/{id}/ledger</c> with the client it belongs to.
/// <see cref="Quantity"/> is signed; dollar credits are in minor units.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ExportedLedgerEntry(
    [property: Id(0)] string MemberId,
    [property: Id(1)] string MemberName,
    [property: Id(2)] long Seq,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] LedgerEntryType Kind,
    [property: Id(5)] string? BenefitKey,
    [property: Id(6)] string? LotId,
    [property: Id(7)] long Quantity,
    [property: Id(8)] long BalanceAfter,
    [property: Id(9)] string? Reference,
    [property: Id(10)] string? Reason);
