namespace MedSpa.Members;

public enum PaymentStatus
{
    Succeeded,
    Open,
}

/// <summary>One line of <c>GET /api/v1/members/{id}/payments</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record PaymentView(
    [property: Id(0)] string PaymentId,
    [property: Id(1)] BillingCategory Category,
    [property: Id(2)] Money Amount,
    [property: Id(3)] PaymentMethodKind? Method,
    [property: Id(4)] PaymentStatus Status,
    [property: Id(5)] DateTimeOffset At,
    [property: Id(6)] string? Reference = null,
    [property: Id(7)] DateOnly? PeriodStart = null,
    [property: Id(8)] string? CheckoutId = null);

/// <summary>One line of <c>GET /api/v1/members/{id}/events</c>: the audit trail as stored.</summary>
[GenerateSerializer, Immutable]
public sealed record RecordedEvent(
    [property: Id(0)] long Seq,
    [property: Id(1)] string Type,
    [property: Id(2)] DateTimeOffset OccurredAt,
    [property: Id(3)] string PayloadJson);
