using MedSpa.Members;

namespace MedSpa.Domain.Billing;

/// <summary>
/// How a failed subscription charge is chased. Retries are offsets from the FIRST failure, not from the previous
/// attempt, so a late or repeated retry never pushes the schedule back. When the last retry fails the membership is
/// suspended; suspended for <see cref="SuspendedFor"/>, it is cancelled for non-payment. A first payment is chased on the
/// same offsets, but there is no membership to suspend yet: unpaid <see cref="FirstPaymentLapse"/> after its first
/// failure, the enrolment lapses.
/// </summary>
public sealed record DunningPolicy
{
    public const string NonPaymentReason = "payment_failed";

    /// <summary>Why an enrolment whose first payment never came in ended; never counted as churn (it never started).</summary>
    public const string FirstPaymentNotMadeReason = "first_payment_not_made";

    /// <summary>
    /// The longest a practice may keep chasing a first payment: the chase starts by the morning after enrolling, so 27
    /// days keeps a first payment inside the first period it pays for (which starts on the enrolment day), even in
    /// February; a payment after that period would buy credits already lapsed. Past that, the client enrols again.
    /// </summary>
    public const int MaxFirstPaymentLapseDays = 27;

    public static readonly TimeSpan DefaultFirstPaymentLapse = TimeSpan.FromDays(7);

    public static DunningPolicy Default { get; } = new([TimeSpan.FromHours(24), TimeSpan.FromHours(72)], TimeSpan.FromDays(30), DefaultFirstPaymentLapse);

    private DunningPolicy(IReadOnlyList<TimeSpan> retryOffsets, TimeSpan suspendedFor, TimeSpan firstPaymentLapse)
    {
        RetryOffsets = retryOffsets;
        SuspendedFor = suspendedFor;
        FirstPaymentLapse = firstPaymentLapse;
    }

    /// <summary>Offsets of each automatic retry from the first failure, increasing.</summary>
    public IReadOnlyList<TimeSpan> RetryOffsets { get; }

    public TimeSpan SuspendedFor { get; }

    /// <summary>How long after its first failure an unpaid first payment is chased before the enrolment lapses.</summary>
    public TimeSpan FirstPaymentLapse { get; }

    /// <summary>
    /// A practice's own schedule. An empty list means a failure suspends at once. The first-payment lapse is whole days,
    /// 1 to <see cref="MaxFirstPaymentLapseDays"/>; unset, <see cref="DefaultFirstPaymentLapse"/>.
    /// </summary>
    public static DunningPolicy Create(IEnumerable<TimeSpan> retryOffsets, TimeSpan suspendedFor, TimeSpan? firstPaymentLapse = null)
    {
        var lapse = firstPaymentLapse ?? DefaultFirstPaymentLapse;
        if (lapse < TimeSpan.FromDays(1) || lapse > TimeSpan.FromDays(MaxFirstPaymentLapseDays) || lapse.Ticks % TimeSpan.TicksPerDay != 0)
        {
            throw Reject.Invalid("invalid_first_payment_lapse", $"A first payment is chased for 1 to {MaxFirstPaymentLapseDays} whole days before the enrolment lapses.");
        }

        ArgumentNullException.ThrowIfNull(retryOffsets);
        var offsets = retryOffsets.ToArray();
        for (var i = 0; i < offsets.Length; i++)
        {
            if (offsets[i] <= TimeSpan.Zero || (i > 0 && offsets[i] <= offsets[i - 1]))
            {
                throw Reject.Invalid("invalid_retry_schedule", "Retry offsets must be positive and increasing, such as 24h then 72h.");
            }
        }

        return suspendedFor > TimeSpan.Zero
            ? new DunningPolicy(offsets, suspendedFor, lapse)
            : throw Reject.Invalid("invalid_suspension_period", "A suspension must last some time before the membership is cancelled.");
    }

    /// <summary>
    /// What follows the <paramref name="failedAttempts"/>-th failed attempt on a period (the original charge is the
    /// first). Hard declines and authentication are not retried automatically, but the member keeps the same window
    /// to fix their card as anyone else: suspension waits until the last retry would have run.
    /// </summary>
    public DunningStep AfterFailure(DateTimeOffset firstFailure, int failedAttempts, DeclineKind kind)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempts, 1);
        var window = RetryOffsets.Count == 0 ? TimeSpan.Zero : RetryOffsets[^1];
        if (kind is DeclineKind.Hard or DeclineKind.AuthenticationRequired)
        {
            var suspendAt = firstFailure + window;
            return new DunningStep.WaitForMember(kind, suspendAt);
        }

        return failedAttempts - 1 < RetryOffsets.Count
            ? new DunningStep.Retry(failedAttempts + 1, firstFailure + RetryOffsets[failedAttempts - 1])
            : new DunningStep.Suspend();
    }

    /// <summary>When an enrolment whose first payment first failed at <paramref name="firstFailure"/> lapses unpaid.</summary>
    public DateTimeOffset FirstPaymentLapsesAt(DateTimeOffset firstFailure) => firstFailure + FirstPaymentLapse;

    /// <summary>When a suspended membership is cancelled as involuntary churn.</summary>
    public NonPaymentCancellation CancellationAfterSuspension(DateTimeOffset suspendedAt) => new(suspendedAt + SuspendedFor, NonPaymentReason);

    /// <summary>
    /// A new card on a member who owes money is charged at once, not at the next scheduled retry: they just acted, and
    /// waiting would only risk them booking with nothing paid.
    /// </summary>
    public static bool RetriesAtOnceOnCardUpdate(MembershipStatus status) => status is MembershipStatus.PastDue or MembershipStatus.Suspended;
}

/// <summary>The next move after a failed charge.</summary>
public abstract record DunningStep
{
    private DunningStep()
    {
    }

    /// <summary>Try again at <see cref="At"/>; <see cref="Attempt"/> numbers it for its idempotency key.</summary>
    public sealed record Retry(int Attempt, DateTimeOffset At) : DunningStep;

    /// <summary>No automatic retry; the member must update their card or authenticate before <see cref="SuspendAt"/>.</summary>
    public sealed record WaitForMember(DeclineKind Reason, DateTimeOffset SuspendAt) : DunningStep;

    /// <summary>The last retry failed: suspend now, with a final notice.</summary>
    public sealed record Suspend : DunningStep;
}

public sealed record NonPaymentCancellation(DateTimeOffset At, string Reason);
