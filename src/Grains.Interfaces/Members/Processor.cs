using MedSpa.Billing;
using Orleans.Concurrency;

namespace MedSpa.Members;

/// <summary>
/// A PaymentIntent as the processor has it now (fetched, never taken from a webhook's payload, which may be stale):
/// the attempt its metadata names and what its current status means for billing.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ProcessorCharge(
    [property: Id(0)] string PaymentIntentId,
    [property: Id(1)] string AttemptId,
    [property: Id(2)] ChargeResult Result,
    [property: Id(3)] string? DeclineCode = null,
    [property: Id(4)] string? Message = null);

/// <summary>One refund on a charge, as the processor has it now.</summary>
[GenerateSerializer, Immutable]
public sealed record ProcessorRefund(
    [property: Id(0)] string RefundId,
    [property: Id(1)] string ChargeId,
    [property: Id(2)] string? PaymentIntentId,
    [property: Id(3)] Money Amount,
    [property: Id(4)] string Status);

/// <summary>A dispute, as the processor has it now.</summary>
[GenerateSerializer, Immutable]
public sealed record ProcessorDispute(
    [property: Id(0)] string DisputeId,
    [property: Id(1)] string ChargeId,
    [property: Id(2)] string? PaymentIntentId,
    [property: Id(3)] Money Amount,
    [property: Id(4)] string Reason,
    [property: Id(5)] string Status,
    [property: Id(6)] DateTimeOffset? EvidenceDueBy);

/// <summary>One line of <c>GET /api/v1/disputes</c> and <c>GET /api/v1/members/{id}/disputes</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record DisputeView(
    [property: Id(0)] string DisputeId,
    [property: Id(1)] string MemberId,
    [property: Id(2)] string ChargeId,
    [property: Id(3)] string? PaymentIntentId,
    [property: Id(4)] Money Amount,
    [property: Id(5)] string Reason,
    [property: Id(6)] string Status,
    [property: Id(7)] DateTimeOffset OpenedAt,
    [property: Id(8)] DateTimeOffset? EvidenceDueBy)
{
    /// <summary>Stripe's terminal statuses; anything else still needs (or awaits) the practice's answer.</summary>
    public bool IsOpen => Status is not ("won" or "lost" or "warning_closed");
}

/// <summary>
/// The practice's list of disputes across all members, for staff (one per deployment). The member grain owns each
/// dispute; this is an index it keeps up to date, so an entry can be re-sent any number of times.
/// </summary>
public interface IDisputeDeskGrain : IGrainWithStringKey
{
    const string Key = "practice";

    /// <summary>Adds or updates a dispute (by dispute id).</summary>
    Task RecordAsync(DisputeView dispute);

    /// <summary>Disputes, newest first; only those still open when <paramref name="openOnly"/>.</summary>
    [ReadOnly]
    Task<DisputeView[]> ListAsync(bool openOnly);
}
