using System.Globalization;
using MedSpa.Billing;
using MedSpa.Domain.Billing;
using MedSpa.Members;

namespace MedSpa.Domain.Members;

/// <summary>
/// The chase for an unpaid period: how many times it failed (a declined charge, or no card to charge), since when, and
/// what comes next (a retry, or suspension unless the member acts). <see cref="SuspendedAt"/> is set once the chase has
/// run out. A pending enrolment's first payment is chased too: neither suspension time is set, it lapses instead.
/// </summary>
public sealed record Dunning(
    DateOnly PeriodStart,
    int FailedAttempts,
    DateTimeOffset FirstFailedAt,
    DateTimeOffset? NextRetryAt,
    DateTimeOffset? SuspendAt,
    string? LastDeclineCode,
    DateTimeOffset? SuspendedAt = null);

public sealed partial record Member
{
    /// <summary>The unpaid period being chased, while past due or suspended.</summary>
    public Dunning? Dunning { get; init; }

    /// <summary>What billing needs to say what is due; see <see cref="DueWork.At"/>.</summary>
    public BillingState? Billing => Enrolment is not { } enrolment
        ? null
        : new BillingState(
            Status, enrolment.AnchorDay, enrolment.Zone, NextPeriodStart,
            Dunning?.FailedAttempts ?? 0, Dunning?.NextRetryAt, Dunning?.SuspendAt, Dunning?.SuspendedAt,
            PendingCancellation?.EffectiveOn, ResumeAt(enrolment), RenewalNoticeAt(enrolment), enrolment.TermEnd,
            AutomaticOfferAt(enrolment), LastCancellation?.EffectiveOn.AddDays(ReactivationWindowDays),
            [.. LapsingLots(enrolment).Select(l => new NoticeWindow(l.NoticeAt, l.LapsesAt))], CardExpiry(enrolment),
            Status == MembershipStatus.PendingPayment ? Dunning?.FirstFailedAt : null);

    /// <summary>
    /// The declined card charges for a period's subscription payment: the attempts the member's page lists for it. The
    /// board counts these, and the chase numbers its failures by them, so the two never disagree (a suspension used to
    /// leave the board one short).
    /// </summary>
    public int FailedAttemptsOn(DateOnly periodStart) =>
        ChargeAttempts.Count(a => a.PeriodStart == periodStart && a.Purpose == ChargePurpose.Subscription && a.Result is { } result && result != ChargeResult.Succeeded);

    /// <summary>
    /// This member's line on the failed-payments board, or null when they are not behind. A pending enrolment's line says
    /// when it lapses; a past-due one when it is suspended; a suspended one when it is cancelled.
    /// </summary>
    public FailedPayment? FailedPaymentLine(string memberId, DunningPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (Dunning is not { } chase || Profile is not { } profile || Enrolment is null)
        {
            return null;
        }

        var pending = Status == MembershipStatus.PendingPayment;
        return new FailedPayment(
            memberId, profile.FullName, profile.Email, Status, chase.PeriodStart, PriceFor(chase.PeriodStart), chase.FirstFailedAt,
            FailedAttemptsOn(chase.PeriodStart), chase.LastDeclineCode, chase.NextRetryAt, chase.SuspendAt, chase.SuspendedAt,
            chase.SuspendedAt is { } suspendedAt ? policy.CancellationAfterSuspension(suspendedAt).At : null)
        {
            LapseAt = pending ? policy.FirstPaymentLapsesAt(chase.FirstFailedAt) : null,
        };
    }

    /// <summary>
    /// The period a subscription charge made at <paramref name="now"/> pays for, or null when none is owed. A renewal
    /// is owed from its charge instant. A suspended member who comes back pays for the period they are in: the periods
    /// missed while suspended are not charged in arrears.
    /// </summary>
    public DateOnly? PeriodOwed(DateTimeOffset now)
    {
        if (Enrolment is not { } enrolment || NextPeriodStart is not { } next)
        {
            return null;
        }

        return Status switch
        {
            MembershipStatus.PendingPayment or MembershipStatus.PastDue => next,
            MembershipStatus.Active when BillingCalendar.ChargeInstant(next, enrolment.Zone) <= now => next,
            MembershipStatus.Suspended => CurrentPeriodStart(enrolment, next, now),
            _ => null,
        };
    }

    private static DateOnly CurrentPeriodStart(Enrolment enrolment, DateOnly owed, DateTimeOffset now)
    {
        var today = BillingCalendar.LocalDate(now, enrolment.Zone);
        var start = owed;
        for (var next = BillingCalendar.NextBillingDate(enrolment.AnchorDay, start); next <= today; next = BillingCalendar.NextBillingDate(enrolment.AnchorDay, next))
        {
            start = next;
        }

        return start;
    }

    /// <summary>
    /// A charge fell due and there is no card to charge: the member is chased as after a decline that cannot be retried
    /// automatically (they must add a card or pay at the desk before suspension). A pending enrolment is reminded at each
    /// retry offset instead, since a card added any time starts it, until it lapses.
    /// </summary>
    public IReadOnlyList<MemberEvent> ChaseWithoutCard(DateTimeOffset now, DunningPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (Status is not (MembershipStatus.Active or MembershipStatus.PastDue or MembershipStatus.PendingPayment) || PeriodOwed(now) is not { } period)
        {
            return [];
        }

        var chase = Status is MembershipStatus.PastDue or MembershipStatus.PendingPayment && Dunning is { } current && current.PeriodStart == period ? current : null;
        var firstFailedAt = chase?.FirstFailedAt ?? now;
        var failures = (chase?.FailedAttempts ?? 0) + 1;
        var price = PriceFor(period);
        if (Status == MembershipStatus.PendingPayment)
        {
            var lapseAt = policy.FirstPaymentLapsesAt(firstFailedAt);
            var remindAt = NextFirstPaymentRetry(policy.AfterFailure(firstFailedAt, failures, DeclineKind.Soft), lapseAt);
            return
            [
                new PaymentPastDue(period, failures, firstFailedAt, remindAt, null, NoCardOnFile) { OccurredAt = now },
                Notice(NoticeKind.PaymentFailed, now, Invariant($"Your membership starts with its first payment of {price.Amount / 100m:0.00} {price.Currency.ToUpperInvariant()}, and there is no card on file. Add a card or pay at the desk before {LocalDay(lapseAt)}, or your enrolment will lapse.")),
            ];
        }

        var suspendAt = ((DunningStep.WaitForMember)policy.AfterFailure(firstFailedAt, failures, DeclineKind.Hard)).SuspendAt;
        return
        [
            .. EnterPeriod(period, now),
            new PaymentPastDue(period, failures, firstFailedAt, null, suspendAt, NoCardOnFile) { OccurredAt = now },
            Notice(NoticeKind.PaymentFailed, now, Invariant($"Your {price.Amount / 100m:0.00} {price.Currency.ToUpperInvariant()} membership payment is due and there is no card on file. Add a card or pay at the desk before {LocalDay(suspendAt)} to keep your membership active.")),
        ];
    }

    /// <summary>The next automatic retry of a first payment, or null when the schedule has run out or the lapse comes first.</summary>
    private static DateTimeOffset? NextFirstPaymentRetry(DunningStep step, DateTimeOffset lapseAt) =>
        step is DunningStep.Retry retry && retry.At < lapseAt ? retry.At : null;

    /// <summary>
    /// What follows a declined subscription charge: the dunning schedule moves on (retry, or wait for the member after a
    /// hard decline or an authentication request) and the member is told, or the chase has run out and the membership
    /// is suspended with a final notice. A declined first payment is chased on the same schedule, but an enrolment that
    /// never started is not suspended: it waits for a card, and lapses unpaid (<see cref="LapseUnpaidEnrolment"/>).
    /// </summary>
    private IReadOnlyList<MemberEvent> AfterDecline(ChargeAttemptView attempt, string? declineCode, DateTimeOffset now, DunningPolicy policy)
    {
        var price = attempt.Amount;
        var amount = Invariant($"{price.Amount / 100m:0.00} {price.Currency.ToUpperInvariant()}");
        switch (Status)
        {
            case MembershipStatus.Suspended:
                return [Notice(NoticeKind.PaymentFailed, now, $"The {amount} payment on your updated card was declined; your membership is still suspended.")];
            case MembershipStatus.PastDue or MembershipStatus.PendingPayment:
                break;
            default:
                return [];
        }

        var failures = FailedAttemptsOn(attempt.PeriodStart);
        var firstFailedAt = Dunning is { } chase && chase.PeriodStart == attempt.PeriodStart ? chase.FirstFailedAt : now;
        var kind = DeclineClassifier.Classify(declineCode);
        if (Status == MembershipStatus.PendingPayment)
        {
            return FirstPaymentDeclined(attempt.PeriodStart, failures, firstFailedAt, kind, declineCode, amount, now, policy);
        }

        return policy.AfterFailure(firstFailedAt, failures, kind) switch
        {
            DunningStep.Retry retry =>
            [
                new PaymentPastDue(attempt.PeriodStart, failures, firstFailedAt, retry.At, null, declineCode) { OccurredAt = now },
                Notice(NoticeKind.PaymentFailed, now, $"Your {amount} membership payment was declined ({declineCode ?? "declined"}). We will try again on {LocalDay(retry.At)}; you can update your card before then."),
            ],
            DunningStep.WaitForMember wait =>
            [
                new PaymentPastDue(attempt.PeriodStart, failures, firstFailedAt, null, wait.SuspendAt, declineCode) { OccurredAt = now },
                wait.Reason == DeclineKind.AuthenticationRequired
                    ? Notice(NoticeKind.AuthenticationRequired, now, $"Your bank asks you to confirm the {amount} membership payment. Please authenticate it in the portal before {LocalDay(wait.SuspendAt)}.")
                    : Notice(NoticeKind.PaymentFailed, now, $"Your card was declined for the {amount} membership payment ({declineCode ?? "declined"}) and cannot be charged again. Update your card before {LocalDay(wait.SuspendAt)} to keep your membership active."),
            ],
            _ => SuspendForNonPayment(now),
        };
    }

    /// <summary>
    /// A declined first payment: retried at the practice's offsets while the lapse is still ahead; after a hard decline, an
    /// authentication request or the last retry, it waits for the member until the enrolment lapses. Nothing is allocated.
    /// </summary>
    private IReadOnlyList<MemberEvent> FirstPaymentDeclined(
        DateOnly period, int failures, DateTimeOffset firstFailedAt, DeclineKind kind, string? declineCode, string amount, DateTimeOffset now, DunningPolicy policy)
    {
        var lapseAt = policy.FirstPaymentLapsesAt(firstFailedAt);
        var retryAt = NextFirstPaymentRetry(policy.AfterFailure(firstFailedAt, failures, kind), lapseAt);
        var lapses = $"update your card before {LocalDay(lapseAt)}, or your enrolment will lapse";
        var notice = (kind, retryAt) switch
        {
            (DeclineKind.AuthenticationRequired, _) => Notice(NoticeKind.AuthenticationRequired, now,
                $"Your bank asks you to confirm your first membership payment of {amount}. Please authenticate it in the portal before {LocalDay(lapseAt)}, or your enrolment will lapse."),
            (_, { } at) => Notice(NoticeKind.PaymentFailed, now,
                $"Your first membership payment of {amount} was declined ({declineCode ?? "declined"}). We will try again on {LocalDay(at)}; you can {lapses}."),
            _ => Notice(NoticeKind.PaymentFailed, now,
                $"Your first membership payment of {amount} was declined ({declineCode ?? "declined"}). Your membership starts once it is paid: {lapses}."),
        };
        return [new PaymentPastDue(period, failures, firstFailedAt, retryAt, null, declineCode) { OccurredAt = now }, notice];
    }

    /// <summary>
    /// The first payment was chased for the practice's days and never made: the enrolment ends. It is recorded as an
    /// involuntary cancellation with its own reason, which the reports count neither as a join nor as churn, and it is
    /// no lapse to win back (it never started). Nothing was allocated, so nothing is taken back; packages stay.
    /// </summary>
    public IReadOnlyList<MemberEvent> LapseUnpaidEnrolment(DateTimeOffset now, DunningPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (Status != MembershipStatus.PendingPayment || Dunning is not { } chase || now < policy.FirstPaymentLapsesAt(chase.FirstFailedAt))
        {
            return [];
        }

        var plan = Enrolment!.Plan.Terms.Name;
        return
        [
            new MembershipCancelled(DunningPolicy.FirstPaymentNotMadeReason, null, Involuntary: true, BillingCalendar.LocalDate(now, Enrolment.Zone)) { OccurredAt = now },
            Notice(NoticeKind.EnrolmentLapsed, now,
                $"Your {plan} membership did not start: its first payment was not made, so the enrolment has lapsed and nothing will be charged. You are welcome to enrol again at any time."),
        ];
    }

    /// <summary>The chase ran out: suspended with a final notice. Credits freeze; nothing more is charged automatically.</summary>
    public IReadOnlyList<MemberEvent> SuspendForNonPayment(DateTimeOffset now)
    {
        if (Status != MembershipStatus.PastDue || NextPeriodStart is not { } period)
        {
            return [];
        }

        return new Decision(this)
            .Add(new MembershipSuspended(period, DunningPolicy.NonPaymentReason) { OccurredAt = now })
            .Add(Credits.Freeze(now))
            .Add(Notice(NoticeKind.FinalNoticeSuspended, now, "Final notice: we could not take your membership payment, so your membership is suspended: its credits are frozen and its included treatments cannot be booked until the payment is made. Update your card to reactivate it at once."))
            .Events;
    }

    /// <summary>Suspended too long: cancelled as involuntary churn; the membership's credits expire (packages stay).</summary>
    public IReadOnlyList<MemberEvent> CancelForNonPayment(string reason, DateTimeOffset now)
    {
        if (Status != MembershipStatus.Suspended)
        {
            return [];
        }

        var decision = new Decision(this)
            .Add(new MembershipCancelled(reason, null, Involuntary: true, BillingCalendar.LocalDate(now, Enrolment!.Zone)) { OccurredAt = now })
            .Add(Credits.Unfreeze(now));
        return decision
            .Add(decision.State.Credits.ExpireAll(now))
            .Add(Notice(NoticeKind.CancelledForNonPayment, now, "Your membership has been cancelled because its payment could not be taken. You are welcome back at any time."))
            .Events;
    }

    private const string NoCardOnFile = "no_card_on_file";

    private NoticeIssued Notice(NoticeKind kind, DateTimeOffset now, string summary) =>
        new(Identifiers.New("ntc", now), kind, RequireProfile().Email, summary) { OccurredAt = now };

    private string LocalDay(DateTimeOffset instant) =>
        BillingCalendar.LocalDate(instant, Enrolment!.Zone).ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
