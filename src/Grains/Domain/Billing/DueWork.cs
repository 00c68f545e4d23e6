using MedSpa.Members;

namespace MedSpa.Domain.Billing;

/// <summary>
/// What billing needs to know about a member to say what is due. <see cref="NextPeriodStart"/> is the period the next
/// subscription charge pays for (the one being retried while past due). While past due, exactly one of
/// <see cref="NextRetryAt"/> (an automatic retry is scheduled) or <see cref="SuspendAt"/> (waiting for the member after a
/// hard decline or an authentication request) is set. <see cref="EndsOn"/> is a confirmed cancellation's effective date.
/// <see cref="ResumeAt"/> is when a pause ends by itself; <see cref="RenewalNoticeAt"/> is when the notice that the
/// minimum term ending on <see cref="TermEnd"/> rolls over month to month is due, null once it was sent. Once cancelled,
/// <see cref="ReactivationOfferAt"/> is when the plan's automatic reactivation offer is due (null when the plan sends it
/// only by hand, or it was sent for this lapse) and <see cref="ReactivationOfferUntil"/> the last day it can still go.
/// <see cref="CreditsExpiring"/> holds a window per dated lot the member has not been told is lapsing, and
/// <see cref="CardExpiring"/> the window for telling them the card on file expires; empty or null when there is
/// nothing (left) to tell. <see cref="ChasedSince"/> is when a first payment first failed (a pending enrolment being
/// chased), which is when its lapse is counted from.
/// </summary>
public sealed record BillingState(
    MembershipStatus Status,
    int AnchorDay,
    TimeZoneInfo Zone,
    DateOnly? NextPeriodStart,
    int FailedAttempts = 0,
    DateTimeOffset? NextRetryAt = null,
    DateTimeOffset? SuspendAt = null,
    DateTimeOffset? SuspendedAt = null,
    DateOnly? EndsOn = null,
    DateTimeOffset? ResumeAt = null,
    DateTimeOffset? RenewalNoticeAt = null,
    DateOnly? TermEnd = null,
    DateTimeOffset? ReactivationOfferAt = null,
    DateOnly? ReactivationOfferUntil = null,
    IReadOnlyList<NoticeWindow>? CreditsExpiring = null,
    NoticeWindow? CardExpiring = null,
    DateTimeOffset? ChasedSince = null);

/// <summary>
/// A courtesy notice is due from <see cref="From"/> and pointless from <see cref="Until"/>, when what it warns of (a lot
/// lapsing, a card expiring) has happened: a wake that only comes after that says nothing.
/// </summary>
public sealed record NoticeWindow(DateTimeOffset From, DateTimeOffset Until);

/// <summary>One thing billing must do, and the instant it fell due (the instant to record it at, however late the tick).</summary>
public abstract record DueItem(DateTimeOffset DueAt)
{
    /// <summary>The scheduled charge for the period starting <see cref="PeriodStart"/>.</summary>
    public sealed record ChargePeriod(DateOnly PeriodStart, DateTimeOffset DueAt) : DueItem(DueAt);

    /// <summary>An automatic retry; <see cref="Attempt"/> numbers it for its idempotency key (the first charge is 1).</summary>
    public sealed record RetryCharge(DateOnly PeriodStart, int Attempt, DateTimeOffset DueAt) : DueItem(DueAt);

    /// <summary>The member did not fix a card that cannot be retried automatically in time.</summary>
    public sealed record SuspendForNonPayment(DateTimeOffset DueAt) : DueItem(DueAt);

    /// <summary>A first payment still not made the practice's days after it first failed: the enrolment ends.</summary>
    public sealed record LapseUnpaidEnrolment(DateTimeOffset DueAt) : DueItem(DueAt);

    /// <summary>Suspended too long: cancel as involuntary churn with <see cref="Reason"/>.</summary>
    public sealed record CancelForNonPayment(string Reason, DateTimeOffset DueAt) : DueItem(DueAt);

    /// <summary>A confirmed cancellation takes effect at the start of <see cref="On"/>, local time.</summary>
    public sealed record EndMembership(DateOnly On, DateTimeOffset DueAt) : DueItem(DueAt);

    /// <summary>A pause reached its end date: the membership resumes and the resume date becomes the anchor.</summary>
    public sealed record ResumeFromPause(DateTimeOffset DueAt) : DueItem(DueAt);

    /// <summary>The minimum term ends on <see cref="TermEnd"/> in 30 days: tell the member it then runs month to month.</summary>
    public sealed record RenewalNotice(DateOnly TermEnd, DateTimeOffset DueAt) : DueItem(DueAt);

    /// <summary>The membership ended a set number of days ago: send the plan's reactivation offer by itself.</summary>
    public sealed record SendReactivationOffer(DateTimeOffset DueAt) : DueItem(DueAt);
    /// <summary>Dated credits lapse within 7 days: tell the member which, how many and when, once per lot.</summary>
    public sealed record CreditsExpiringNotice(DateTimeOffset DueAt) : DueItem(DueAt);

    /// <summary>The card on file expires at the end of next month: ask the member to update it, once per card.</summary>
    public sealed record CardExpiringNotice(DateTimeOffset DueAt) : DueItem(DueAt);
}

/// <summary>
/// The answer to "what is due at <c>now</c>?" that every reminder tick asks. Work is derived from the state, never from
/// the tick, so a duplicate tick finds nothing left to do and a tick after a long gap finds everything missed, in the
/// order it would have happened. <see cref="NextDueAt"/> is when to wake next (the due index), null when nothing is
/// scheduled.
/// </summary>
public sealed record DueWork(IReadOnlyList<DueItem> Items, DateTimeOffset? NextDueAt)
{
    /// <summary>
    /// Everything due at <paramref name="now"/>, oldest first. Each item assumes the ones before it went to plan: act on
    /// them in order and, as soon as one does not (a charge fails), apply its outcome and ask again.
    /// </summary>
    public static DueWork At(BillingState state, DateTimeOffset now, DunningPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(policy);
        var items = new List<DueItem>();
        var upcoming = new List<DateTimeOffset>();

        void Schedule(DueItem item)
        {
            if (item.DueAt <= now)
            {
                items.Add(item);
            }
            else
            {
                upcoming.Add(item.DueAt);
            }
        }

        var endsAt = state.EndsOn is { } endsOn ? BillingCalendar.LocalInstant(endsOn.ToDateTime(TimeOnly.MinValue), state.Zone) : (DateTimeOffset?)null;
        var billed = true;
        switch (state.Status)
        {
            case MembershipStatus.Active when state.NextPeriodStart is { } start:
                // Every missed billing date is charged (each was a period the member had), up to the first still ahead.
                for (var date = start; state.EndsOn is not { } end || date < end; date = BillingCalendar.NextBillingDate(state.AnchorDay, date))
                {
                    var charge = new DueItem.ChargePeriod(date, BillingCalendar.ChargeInstant(date, state.Zone));
                    Schedule(charge);
                    if (charge.DueAt > now)
                    {
                        break;
                    }
                }

                break;
            case MembershipStatus.PastDue when state.NextPeriodStart is { } period:
                if (state.NextRetryAt is { } retryAt)
                {
                    Schedule(new DueItem.RetryCharge(period, state.FailedAttempts + 1, retryAt));
                }
                else if (state.SuspendAt is { } suspendAt)
                {
                    Schedule(new DueItem.SuspendForNonPayment(suspendAt));
                }

                break;
            case MembershipStatus.PendingPayment when state.NextPeriodStart is { } first:
                if (state.ChasedSince is { } since)
                {
                    // A retry the lapse overtakes is not run: the enrolment has ended by then.
                    var lapseAt = policy.FirstPaymentLapsesAt(since);
                    if (state.NextRetryAt is { } retry && retry < lapseAt)
                    {
                        Schedule(new DueItem.RetryCharge(first, state.FailedAttempts + 1, retry));
                    }

                    Schedule(new DueItem.LapseUnpaidEnrolment(lapseAt));
                }
                else
                {
                    // The first charge is taken at enrolment when there is a card. With none, the desk may take the payment
                    // the same day, so the chase starts at the next morning's charge time rather than as the client leaves.
                    Schedule(new DueItem.ChargePeriod(first, BillingCalendar.ChargeInstant(first.AddDays(1), state.Zone)));
                }

                break;
            case MembershipStatus.Suspended when state.SuspendedAt is { } suspendedAt:
                var cancellation = policy.CancellationAfterSuspension(suspendedAt);
                Schedule(new DueItem.CancelForNonPayment(cancellation.Reason, cancellation.At));
                break;
            case MembershipStatus.Paused when state.ResumeAt is { } resumeAt:
                Schedule(new DueItem.ResumeFromPause(resumeAt));
                break;
            case MembershipStatus.Cancelled when state.ReactivationOfferAt is { } offerAt && state.ReactivationOfferUntil is { } until:
                // A tick that only comes once the lapse is too old to win back has nothing left to send.
                if (now < BillingCalendar.LocalInstant(until.AddDays(1).ToDateTime(TimeOnly.MinValue), state.Zone))
                {
                    Schedule(new DueItem.SendReactivationOffer(offerAt));
                }

                break;
            default:
                // Cancelled with no offer to send, or paused: nothing to charge or chase.
                // A courtesy notice may still be due (a paused member's card), so this does not return yet.
                billed = false;
                break;
        }

        // A notice the tick only reaches after the term has ended would announce what already happened: skip it.
        if (state.Status is MembershipStatus.Active or MembershipStatus.PastDue && state.RenewalNoticeAt is { } noticeAt && state.TermEnd is { } termEnd
            && now < BillingCalendar.LocalInstant(termEnd.ToDateTime(TimeOnly.MinValue), state.Zone))
        {
            Schedule(new DueItem.RenewalNotice(termEnd, noticeAt));
        }

        // One notice covers every lot whose window has opened; a lot whose window opens later is a notice of its own.
        if (state.Status is MembershipStatus.Active or MembershipStatus.PastDue && state.CreditsExpiring is { Count: > 0 } lots)
        {
            var open = lots.Where(l => now < l.Until).ToList();
            if (open.Where(l => l.From <= now).Select(l => (DateTimeOffset?)l.From).Min() is { } dueSince)
            {
                Schedule(new DueItem.CreditsExpiringNotice(dueSince));
            }

            if (open.Where(l => l.From > now).Select(l => (DateTimeOffset?)l.From).Min() is { } next)
            {
                Schedule(new DueItem.CreditsExpiringNotice(next));
            }
        }

        // Every membership that will be charged again needs a card that works, a paused or suspended one included.
        if (state.Status is MembershipStatus.Active or MembershipStatus.PastDue or MembershipStatus.Paused or MembershipStatus.Suspended
            && state.CardExpiring is { } card && now < card.Until)
        {
            Schedule(new DueItem.CardExpiringNotice(card.From));
        }

        if (billed && endsAt is { } ending && state.EndsOn is { } on)
        {
            // Whatever dunning was pending, the membership ends when it was confirmed to end.
            if (ending <= now)
            {
                items.RemoveAll(i => i.DueAt >= ending);
                upcoming.Clear();
            }

            Schedule(new DueItem.EndMembership(on, ending));
        }

        return new DueWork(
            [.. items.OrderBy(i => i.DueAt)],
            upcoming.Count == 0 ? null : upcoming.Min());
    }
}
