using System.Collections.Immutable;
using System.Globalization;
using MedSpa.Domain.Billing;
using MedSpa.Members;
using MedSpa.Plans;

namespace MedSpa.Domain.Members;

public sealed partial record Member
{
    /// <summary>The pause the membership is in, if any.</summary>
    public MembershipPaused? CurrentPause { get; init; }

    /// <summary>The day each pause began, oldest first: the plan limits how many fall within any 12 months.</summary>
    public ImmutableList<DateOnly> PausesTaken { get; init; } = [];

    /// <summary>
    /// Pauses an active membership from today for <see cref="PauseRequest.Days"/> days or until
    /// <see cref="PauseRequest.Until"/>, within the plan's <see cref="PauseRules"/> (default 60 days, once per 12
    /// months). Billing stops and the credits freeze; it resumes by itself on the end date.
    /// </summary>
    public IReadOnlyList<MemberEvent> Pause(PauseRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequireProfile();
        var enrolment = RequireEnrolment();
        switch (Status)
        {
            case MembershipStatus.Active:
                break;
            case MembershipStatus.Paused:
                throw Reject.Conflict("already_paused", $"The membership is already paused until {CurrentPause!.Until:yyyy-MM-dd}.");
            case MembershipStatus.PastDue:
                throw Reject.Conflict("membership_past_due", "A membership with a payment outstanding cannot be paused; settle the payment first.");
            case MembershipStatus.Suspended:
                throw Reject.Conflict("membership_suspended", "A suspended membership cannot be paused; update the card first.");
            case MembershipStatus.PendingPayment:
                throw Reject.Conflict("membership_pending_payment", "The membership has not started: its first payment was never taken.");
            case MembershipStatus.Cancelled:
                throw Reject.Conflict("already_cancelled", "The membership has already ended.");
            default:
                throw Reject.Conflict("not_enrolled", "This client has no membership.");
        }

        if (PendingCancellation is not null)
        {
            throw Reject.Conflict("cancellation_pending", "The membership is ending; withdraw the cancellation before pausing.");
        }

        if (UnresolvedAttempt is { } open)
        {
            throw Reject.Conflict("charge_in_progress", $"A card charge ({open.AttemptId}) is being resolved; try again shortly.");
        }

        var rules = enrolment.Plan.Terms.Pause ?? new PauseRules();
        var today = BillingCalendar.LocalDate(now, enrolment.Zone);
        var days = (request.Days, request.Until) switch
        {
            ({ } d, null) => d,
            (null, { } until) => until.DayNumber - today.DayNumber,
            _ => throw Reject.Invalid("invalid_pause_length", "Give either the number of days (days) or the date it resumes on (until), not both."),
        };
        if (days < 1)
        {
            throw Reject.Invalid("invalid_pause_length", "A pause lasts at least one day and resumes on a later date.");
        }

        if (days > rules.MaxDays)
        {
            throw Reject.Invalid("pause_too_long", Invariant($"A pause on this plan lasts at most {rules.MaxDays} days."));
        }

        if (rules.TimesPer12Months < 1)
        {
            throw Reject.Conflict("pause_not_allowed", "This plan cannot be paused.");
        }

        var recent = PausesTaken.Where(d => d > today.AddMonths(-12)).ToList();
        if (recent.Count >= rules.TimesPer12Months)
        {
            var next = recent[^rules.TimesPer12Months].AddMonths(12);
            throw Reject.Conflict("pause_limit_reached", Invariant($"This plan allows {rules.TimesPer12Months} pause(s) in any 12 months; the next can start on {next:yyyy-MM-dd}."));
        }

        var resumesOn = today.AddDays(days);
        return new Decision(this)
            .Add(new MembershipPaused(today, resumesOn) { OccurredAt = now })
            .Add(Credits.Freeze(now))
            .Add(Notice(NoticeKind.MembershipPaused, now, $"Your membership is paused until {LocalDay(resumesOn)}. Nothing is charged meanwhile and your credits are kept for when you are back."))
            .Events;
    }

    /// <summary>
    /// Ends the pause today (early, or on its end date when <paramref name="automatically"/>): today becomes the anchor
    /// day, the first period from it is owed at once, and the credits' expiry moves back by the time paused.
    /// </summary>
    public IReadOnlyList<MemberEvent> Resume(DateTimeOffset now, bool automatically = false)
    {
        RequireProfile();
        var enrolment = RequireEnrolment();
        if (Status != MembershipStatus.Paused)
        {
            throw Reject.Conflict("not_paused", "The membership is not paused.");
        }

        var today = BillingCalendar.LocalDate(now, enrolment.Zone);
        var decision = new Decision(this)
            .Add(new MembershipResumed(today, today.Day, automatically) { OccurredAt = now })
            .Add(Credits.Unfreeze(now));
        var price = decision.State.PriceFor(today);
        return decision
            .Add(Notice(NoticeKind.MembershipResumed, now, Invariant($"Welcome back: your membership resumed on {LocalDay(today)}. It is billed {price.Amount / 100m:0.00} {price.Currency.ToUpperInvariant()} on the {today.Day}{Ordinal(today.Day)} of each month from today.")))
            .Events;
    }

    /// <summary>When the pause ends by itself: at the charge time of its end date, so the resumed period is charged then.</summary>
    private DateTimeOffset? ResumeAt(Enrolment enrolment) =>
        Status == MembershipStatus.Paused && CurrentPause is { } pause ? BillingCalendar.ChargeInstant(pause.Until, enrolment.Zone) : null;

    /// <summary>
    /// When the notice that the minimum term ends and the membership then runs month to month is due: 30 days before the
    /// term end, once per enrolment, not for a membership already ending or with no term to speak of.
    /// </summary>
    private DateTimeOffset? RenewalNoticeAt(Enrolment enrolment)
    {
        var on = enrolment.TermEnd.AddDays(-RenewalNoticeDays);
        if (Status is not (MembershipStatus.Active or MembershipStatus.PastDue) || PendingCancellation is not null || on <= enrolment.EnrolledOn
            || Notices.Any(n => n.Kind == NoticeKind.TermRenewal && n.OccurredAt >= enrolment.Agreement.SignedAt))
        {
            return null;
        }

        return BillingCalendar.ChargeInstant(on, enrolment.Zone);
    }

    private const int RenewalNoticeDays = 30;

    /// <summary>The renewal notice, when due (see <see cref="RenewalNoticeAt"/>); nothing otherwise.</summary>
    public IReadOnlyList<MemberEvent> IssueRenewalNotice(DateTimeOffset now)
    {
        if (Enrolment is not { } enrolment || RenewalNoticeAt(enrolment) is not { } at || at > now)
        {
            return [];
        }

        var price = PriceFor(enrolment.TermEnd);
        return [Notice(NoticeKind.TermRenewal, now, Invariant($"Your minimum term ends on {LocalDay(enrolment.TermEnd)}. Your membership then continues month to month at {price.Amount / 100m:0.00} {price.Currency.ToUpperInvariant()}, and you can cancel at any time with effect from the end of a period."))];
    }

    private static string LocalDay(DateOnly date) => date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    private static string Ordinal(int day) => (day % 100) switch
    {
        11 or 12 or 13 => "th",
        _ => (day % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" },
    };
}
