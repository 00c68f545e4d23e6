using System.Collections.Immutable;
using System.Globalization;
using MedSpa.Billing;
using MedSpa.Domain.Billing;
using MedSpa.Members;
using MedSpa.Plans;

namespace MedSpa.Domain.Members;

/// <summary>What the first period from <see cref="PeriodStart"/> (a resume date) costs less after a pause.</summary>
public sealed record PauseCarry(DateOnly PeriodStart, Money Amount);

public sealed partial record Member
{
    /// <summary>The pause the membership is in, if any.</summary>
    public MembershipPaused? CurrentPause { get; init; }

    /// <summary>The day each pause began, oldest first: the plan limits how many fall within any 12 months.</summary>
    public ImmutableList<DateOnly> PausesTaken { get; init; } = [];

    /// <summary>
    /// Pauses an active membership from today for <see cref="PauseRequest.Days"/> days or until
    /// <see cref="PauseRequest.Until"/>, within the plan's <see cref="PauseRules"/> (default 60 days, once per 12
    /// months). Billing stops and the credits freeze with the period they were paid for: the paid period is extended by
    /// the days paused and the next charge moves by as many, so a pause never buys a period's credits for less than a
    /// period's price. It resumes by itself on the end date.
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

        if (PeriodOwed(now) is not null || PaidPeriod is not { } paid || today < paid.Start)
        {
            throw Reject.Conflict("payment_due", "This period's payment is due and has not been taken yet; the membership can be paused once it has.");
        }

        var resumesOn = today.AddDays(days);
        var nextCharge = paid.End.AddDays(days);
        return new Decision(this)
            .Add(new MembershipPaused(today, resumesOn, PaidUntil: paid.End) { OccurredAt = now })
            .Add(Credits.Freeze(now))
            .Add(Notice(NoticeKind.MembershipPaused, now,
                Invariant($"Your membership is paused until {LocalDay(resumesOn)}. Nothing is charged meanwhile and your credits are frozen. The {days} day(s) paused are added to the period you have paid for, so your next payment moves to {LocalDay(nextCharge)}.")))
            .Events;
    }

    /// <summary>
    /// Where the frozen period ends if the pause runs to its end date: the paid period's end moved by the days paused.
    /// Null for a pause recorded before the freeze rule, or one a member moved in with.
    /// </summary>
    private DateOnly? PausedPeriodEnd => Status == MembershipStatus.Paused && CurrentPause is { PaidUntil: { } paidUntil } pause
        ? paidUntil.AddDays(pause.Until.DayNumber - pause.From.DayNumber)
        : null;

    /// <summary>The first period after a pause costs less by the paid days the pause cut short (never below zero).</summary>
    private Money WithPauseCarry(DateOnly periodStart, Money price) =>
        (PauseCarry ?? UpcomingPauseCarry) is { } carry && carry.PeriodStart == periodStart && carry.Amount.Currency == price.Currency
            ? price with { Amount = Math.Max(0, price.Amount - carry.Amount.Amount) }
            : price;

    /// <summary>
    /// Pays the period owed now when the pause carry covers all of it: there is nothing to charge (a card charge of zero
    /// is no charge), so no card is needed and the processor is not called. Nothing when something is left to pay.
    /// </summary>
    public IReadOnlyList<MemberEvent> SettleCoveredPeriod(DateTimeOffset now)
    {
        if (PeriodOwed(now) is not { } period || PriceFor(period) is not { Amount: 0 } price || PauseCarry?.PeriodStart != period)
        {
            return [];
        }

        var paymentId = Identifiers.New("pay", now);
        return new Decision(this)
            .Add(new PaymentRecorded(paymentId, BillingCategory.Subscription, price, null, PaymentStatus.Succeeded, PeriodStart: period, Description: PauseCarryDescription) { OccurredAt = now })
            .Add(PayPeriod(period, paymentId, now))
            .Events;
    }

    /// <summary>While paused, the carry the resume will bring: what is quoted now (a cancellation's obligation) counts it.</summary>
    private PauseCarry? UpcomingPauseCarry =>
        Status == MembershipStatus.Paused && CurrentPause is { UnusedPaid: { Amount: > 0 } unused } pause ? new PauseCarry(pause.Until, unused) : null;

    /// <summary>How a period the pause carry paid in full reads in the payment history.</summary>
    public const string PauseCarryDescription = "paid by the days carried over a pause";

    /// <summary>Paid days a pause cut short, owed back on the first period after it.</summary>
    public PauseCarry? PauseCarry { get; init; }

    /// <summary>
    /// Ends the pause today (early, or on its end date when <paramref name="automatically"/>): the paid period runs on by
    /// the days paused, the next charge and the anchor day move with it, and the credits' expiry moves back by the time
    /// paused. A pause recorded before the freeze rule resumes as it was agreed then: today becomes the anchor day and the
    /// first period from it is owed at once, less the paid days the pause cut short.
    /// </summary>
    public IReadOnlyList<MemberEvent> Resume(DateTimeOffset now, bool automatically = false)
    {
        RequireProfile();
        var enrolment = RequireEnrolment();
        if (Status != MembershipStatus.Paused)
        {
            throw Reject.Conflict("not_paused", "The membership is not paused.");
        }

        if (PendingCancellation is { } ending && CurrentPause is { PaidUntil: null } old && ending.EffectiveOn <= old.Until)
        {
            // A pause recorded before the freeze rule: resuming would start a period the membership ends inside of, charged in full.
            throw Reject.Conflict("cancellation_pending", $"The membership ends on {ending.EffectiveOn:yyyy-MM-dd}, when the pause does; withdraw the cancellation to resume.");
        }

        var today = BillingCalendar.LocalDate(now, enrolment.Zone);
        if (CurrentPause is { PaidUntil: { } paidUntil } pause)
        {
            // The freeze: the days actually paused (an early resume counts fewer) are added to the paid period.
            var next = paidUntil.AddDays(Math.Max(0, today.DayNumber - pause.From.DayNumber));
            var moved = BillingCalendar.ChargeInstant(next, enrolment.Zone) - BillingCalendar.ChargeInstant(paidUntil, enrolment.Zone);
            var frozen = new Decision(this)
                .Add(new MembershipResumed(today, next.Day, automatically, next) { OccurredAt = now })
                .Add(Credits.Unfreeze(now, moved));
            var price = frozen.State.PriceFor(next);
            return frozen
                .Add(Notice(NoticeKind.MembershipResumed, now, Invariant($"Welcome back: your membership resumed on {LocalDay(today)} and your credits are usable again. Your next payment, {price.Amount / 100m:0.00} {price.Currency.ToUpperInvariant()}, is on {LocalDay(next)}, then on the {next.Day}{Ordinal(next.Day)} of each month.")))
                .Events;
        }

        var decision = new Decision(this)
            .Add(new MembershipResumed(today, today.Day, automatically) { OccurredAt = now })
            .Add(Credits.Unfreeze(now));
        var first = decision.State.PriceFor(today);
        var monthly = decision.State.PlanPriceFor(today);
        var firstPayment = first == monthly ? "" : Invariant($" Your first payment is {first.Amount / 100m:0.00} {first.Currency.ToUpperInvariant()}, less the days you had paid for before the pause.");
        return decision
            .Add(Notice(NoticeKind.MembershipResumed, now, Invariant($"Welcome back: your membership resumed on {LocalDay(today)}. It is billed {monthly.Amount / 100m:0.00} {monthly.Currency.ToUpperInvariant()} on the {today.Day}{Ordinal(today.Day)} of each month from today.{firstPayment}")))
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
            || Notices.Any(n => n.Kind == NoticeKind.TermRenewal && n.OccurredAt >= StartedAt(enrolment)))
        {
            return null;
        }

        return BillingCalendar.ChargeInstant(on, enrolment.Zone);
    }

    private const int RenewalNoticeDays = 30;

    /// <summary>When this enrolment began: its signature, or the first day for a member imported without one.</summary>
    private static DateTimeOffset StartedAt(Enrolment enrolment) =>
        enrolment.Agreement?.SignedAt ?? BillingCalendar.LocalInstant(enrolment.EnrolledOn.ToDateTime(TimeOnly.MinValue), enrolment.Zone);

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
