using MedSpa.Members;

namespace MedSpa.Billing;

/// <summary>
/// The failed-payments board: every member being chased for an unpaid period, kept current by the member grains
/// themselves as their dunning moves on, so the board never needs to scan members.
/// </summary>
public interface IFailedPaymentsGrain : IGrainWithStringKey
{
    const string Key = "practice";

    Task ReportAsync(FailedPayment entry);

    Task ClearAsync(string memberId);

    [Orleans.Concurrency.ReadOnly]
    Task<FailedPayment[]> ListAsync();
}

/// <summary>
/// One line of the board: who, since when, what was last declined and what happens next (a retry, or suspension
/// unless the member acts; once suspended, the day the membership is cancelled; for a first payment, the day the
/// enrolment lapses). <see cref="FailedAttempts"/> counts the declined card charges for the period, as the member's page
/// lists them.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FailedPayment(
    [property: Id(0)] string MemberId,
    [property: Id(1)] string FullName,
    [property: Id(2)] string Email,
    [property: Id(3)] MembershipStatus Status,
    [property: Id(4)] DateOnly PeriodStart,
    [property: Id(5)] Money Amount,
    [property: Id(6)] DateTimeOffset Since,
    [property: Id(7)] int FailedAttempts,
    [property: Id(8)] string? LastDeclineCode,
    [property: Id(9)] DateTimeOffset? NextRetryAt,
    [property: Id(10)] DateTimeOffset? SuspendAt,
    [property: Id(11)] DateTimeOffset? SuspendedAt,
    [property: Id(12)] DateTimeOffset? CancelAt)
{
    /// <summary>A pending enrolment's: when it lapses if its first payment is still not made.</summary>
    [Id(13)] public DateTimeOffset? LapseAt { get; init; }
}
