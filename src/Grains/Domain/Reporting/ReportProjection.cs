using MedSpa.Domain.Billing;
using MedSpa.Domain.Members;
using MedSpa.Members;
using MedSpa.Plans;

namespace MedSpa.Domain.Reporting;

/// <summary>
/// Folds one client's log into report figures. The client's state comes from the domain's own fold
/// (<see cref="Member.Apply"/>), so a report's status, plan and price are the ones the member grain acts on; what an
/// event adds to the reports is read from the state before and after it. Every event of the log is folded, from the
/// first, but only those after <c>alreadyProjected</c> add anything: folding a client again, or in two runs, adds each
/// event once, and a rebuild adds the same as the runs did.
/// </summary>
public sealed class ReportProjection(string memberId, long alreadyProjected, Func<string, TimeZoneInfo?> locationZone)
{
    public const string Member = "member";
    public const string NonMember = "non_member";

    /// <summary>The tier of a client with no membership (a package bought outright, a walk-in's treatment).</summary>
    public const string NoPlan = "";

    private readonly Dictionary<string, LotTier> _lots = new(StringComparer.Ordinal);

    /// <summary>The lapse counted ahead for each dated lot that will lapse unless something happens first (see <see cref="ScheduleLapses"/>).</summary>
    private readonly Dictionary<string, Lapse> _lapsing = new(StringComparer.Ordinal);

    /// <summary>Lots whose lapse has happened: counted on its day, never moved again.</summary>
    private readonly HashSet<string> _lapsed = new(StringComparer.Ordinal);

    /// <summary>Of each lapsed lot, how much was counted expired that no <see cref="CreditsExpired"/> has recorded yet.</summary>
    private readonly Dictionary<string, long> _lapsedUnrecorded = new(StringComparer.Ordinal);

    private readonly Dictionary<string, DateOnly> _countedMonth = new(StringComparer.Ordinal);
    private readonly SortedDictionary<DateOnly, int> _visits = [];
    private Member _state = Domain.Members.Member.Unregistered;
    private long _seq;

    public long Seq => _seq;

    /// <summary>Folds the next event of the log (in seq order), adding to <paramref name="batch"/> when it is new.</summary>
    public void Fold(long seq, MemberEvent e, ReportBatch batch)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(batch);
        var before = _state;
        var after = before.Apply(e);
        if (after.Profile is not null)
        {
            // Events already in the projection still move the side state (lot tiers, months counted, visits).
            var into = seq > alreadyProjected ? batch : ReportBatch.Discard;
            into.Events++;
            Project(before, e, after, into);
        }

        _state = after;
        _seq = seq;
    }

    /// <summary>The client's row for the at-risk list, or null for a log with no registration.</summary>
    public ReportMember? Row()
    {
        if (_state.Profile is not { } profile)
        {
            return null;
        }

        var plan = _state.Enrolment?.Plan;
        var lots = _state.Credits.Lots
            .Where(l => l.Remaining > 0)
            .Select(l => new ReportLot(l.LotId, l.BenefitKey, l.Granted, l.Remaining, l.ExpiresAt))
            .ToList();
        return new ReportMember(
            memberId, _seq, profile.FullName, profile.Email, profile.HomeLocationId, plan?.PlanId ?? NoPlan, plan?.Version ?? 0,
            StatusName(_state.Status), ZoneOf(_state).Id, CardExpires(_state.Card), lots, new Dictionary<DateOnly, int>(_visits));
    }

    public static string StatusName(MembershipStatus status) => status switch
    {
        MembershipStatus.PendingPayment => "pending_payment",
        MembershipStatus.PastDue => "past_due",
        _ => status.ToString().ToLowerInvariant(),
    };

    private void Project(Member before, MemberEvent e, Member after, ReportBatch batch)
    {
        var profile = after.Profile!;
        var day = BillingCalendar.LocalDate(e.OccurredAt, ZoneOf(after));
        var location = profile.HomeLocationId;

        PassLapses(e.OccurredAt);
        ProjectMembership(before, e, after, day, location, batch);
        ProjectCredits(before, e, after, day, location, batch);
        ProjectRevenue(before, e, after, day, location, batch);
        if (!ReferenceEquals(before.Credits, after.Credits))
        {
            ScheduleLapses(after, location, batch);
        }
    }

    private static void ProjectMembership(Member before, MemberEvent e, Member after, DateOnly day, string location, ReportBatch batch)
    {
        var was = PositionOf(before);
        var now = PositionOf(after);
        if (was != now)
        {
            Count(was, day, location, -1, batch);
            Count(now, day, location, +1, batch);
        }

        var tier = new TierDay(day, (now ?? was)?.PlanId ?? NoPlan, (now ?? was)?.PlanVersion ?? 0, location);
        if (after.Status == MembershipStatus.Active && before.Status == MembershipStatus.PendingPayment)
        {
            // A first period paid starts the membership; a later enrolment of a client who had one is a comeback.
            batch.Add(tier, before.LastCancellation is null ? MembershipMeasure.Joined : MembershipMeasure.Reactivated, 1);
        }

        // A member who moved in paused had paused in the old system: counted paused, not as a pause started here.
        if (after.Status == MembershipStatus.Paused && before.Status != MembershipStatus.Paused && e is not MemberImported)
        {
            batch.Add(tier, MembershipMeasure.PausesStarted, 1);
        }

        if (after.Status == MembershipStatus.Suspended && before.Status != MembershipStatus.Suspended)
        {
            batch.Add(tier, MembershipMeasure.Suspensions, 1);
        }

        switch (e)
        {
            // A member moving in was a member already: counted from the import day where they stand (active with their
            // MRR, paused), by the change of position above, and never as a join or a comeback.
            case MemberImported:
                break;

            // A membership that never started (its first charge never paid) is not churn.
            case MembershipCancelled cancelled when was is { Status: not MembershipStatus.PendingPayment } lost:
                var at = new TierDay(day, lost.PlanId, lost.PlanVersion, location);
                batch.Add(at, cancelled.Involuntary ? MembershipMeasure.CancelledInvoluntary : MembershipMeasure.CancelledVoluntary, 1);
                batch.Add(new ChurnKey(at, cancelled.Reason, cancelled.Involuntary), 1);
                break;
            case PlanChanged changed:
                batch.Add(new PlanMoveKey(day, location, changed.Terms.FromPlanId, changed.Terms.FromVersion, changed.Terms.To.PlanId,
                    changed.Terms.To.Version, changed.Terms.Direction.ToString().ToLowerInvariant()), 1);

                // An upgrade's charge pays for the new plan from the change day to the end of the period, like a period
                // of its own, so it is deferred over those days under the new tier. (It was not deferred at all: a
                // month's end inside such a period understated what is owed.)
                if (changed.PaymentId is { } paymentId && after.Payments.Find(p => p.PaymentId == paymentId) is { Amount.Amount: > 0 } charge
                    && after.PaidPeriod is { } period && now is { } upgraded)
                {
                    Defer(new TierDay(day, upgraded.PlanId, upgraded.PlanVersion, location), charge.Amount.Amount, changed.Terms.EffectiveOn, period.End, batch);
                }

                break;
            case PeriodPaid paid when after.Payments.Find(p => p.PaymentId == paid.PaymentId) is { Amount.Amount: > 0 } payment && now is { } position:
                Defer(new TierDay(day, position.PlanId, position.PlanVersion, location), payment.Amount.Amount, paid.PeriodStart, paid.PeriodEnd, batch);
                break;

            // A pause freezes the paid period: none of it is served while paused, and what was left is served from the
            // resume to the period's moved end, at the same rate.
            case MembershipPaused { PaidUntil: { } paidUntil } when PausedPeriodServing(before, paidUntil) is { } serving && now is { } held:
                Hold(new TierDay(day, held.PlanId, held.PlanVersion, location), serving, batch);
                break;
            case MembershipResumed { NextPeriodStart: { } movedEnd } when before.CurrentPause is { PaidUntil: { } paidUntil } pause
                && PausedPeriodServing(before, paidUntil) is { } serving && now is { } resumed:
                Release(new TierDay(day, resumed.PlanId, resumed.PlanVersion, location), serving with { HeldFrom = pause.From }, movedEnd, batch);
                break;
        }
    }

    /// <summary>
    /// Defers a period's payment <paramref name="amount"/>, paid on <c>at.Day</c>, over [start, end): all of it until the
    /// period starts, then less each day, none from its end. At the end of day D inside the period, (end − 1 − D) of its
    /// days are still owed, so the deferred amount is A(end − 1)/len − D·A/len: a line in D, kept as its two
    /// coefficients so a sum over every period up to D gives the total.
    /// </summary>
    private static void Defer(TierDay at, long amount, DateOnly start, DateOnly end, ReportBatch batch)
    {
        var length = end.DayNumber - start.DayNumber;
        if (length <= 0 || at.Day >= end)
        {
            return;
        }

        // Rounded so the sums stay exact in PostgreSQL's numeric; the start's and end's rows still cancel exactly.
        var slope = Math.Round((decimal)amount / length, 12);
        var fixedPart = slope * (end.DayNumber - 1);
        if (at.Day < start)
        {
            batch.AddDeferral(at, amount, 0);
            batch.AddDeferral(at with { Day = start }, fixedPart - amount, slope);
        }
        else
        {
            batch.AddDeferral(at, fixedPart, slope);
        }

        batch.AddDeferral(at with { Day = end }, -fixedPart, -slope);
    }

    /// <summary>The paid period a pause froze, as its payment was deferred: amount, days and end (the pause's day is not served).</summary>
    private sealed record PausedServing(long Amount, int Length, DateOnly End, DateOnly HeldFrom);

    private static PausedServing? PausedPeriodServing(Member before, DateOnly paidUntil)
    {
        if (before.PaidPeriod is not { } period || period.End != paidUntil
            || before.Payments.FindLast(p => p.PeriodStart == period.Start && p.Category == BillingCategory.Subscription && p.Status == PaymentStatus.Succeeded)
                is not { Amount.Amount: > 0 } payment)
        {
            return null;
        }

        // A period an earlier pause extended was deferred over its own days; each pause kept the same daily rate.
        return new PausedServing(payment.Amount.Amount, period.End.DayNumber - period.Start.DayNumber - period.PausedDays, period.End, default);
    }

    /// <summary>
    /// From the pause's day, the period's line stops: what was still owed that morning stays owed, flat, until the resume.
    /// The rows cancel the period's line from today and add the flat amount, so nothing before today changes.
    /// </summary>
    private static void Hold(TierDay at, PausedServing period, ReportBatch batch)
    {
        var slope = Math.Round((decimal)period.Amount / period.Length, 12);
        var fixedPart = slope * (period.End.DayNumber - 1);
        if (at.Day >= period.End)
        {
            return;
        }

        batch.AddDeferral(at, (slope * (period.End.DayNumber - at.Day.DayNumber)) - fixedPart, -slope);
        batch.AddDeferral(at with { Day = period.End }, fixedPart, slope);
    }

    /// <summary>The resume: the flat amount held since the pause is served day by day again, to the period's moved end.</summary>
    private static void Release(TierDay at, PausedServing period, DateOnly movedEnd, ReportBatch batch)
    {
        if (period.HeldFrom >= period.End)
        {
            return;
        }

        var slope = Math.Round((decimal)period.Amount / period.Length, 12);
        var held = slope * (period.End.DayNumber - period.HeldFrom.DayNumber);
        var fixedPart = slope * (movedEnd.DayNumber - 1);
        batch.AddDeferral(at, fixedPart - held, slope);
        batch.AddDeferral(at with { Day = movedEnd }, -fixedPart, -slope);
    }

    private void ProjectCredits(Member before, MemberEvent e, Member after, DateOnly day, string location, ReportBatch batch)
    {
        switch (e)
        {
            case CreditsAllocated allocated:
                Move(Grant(before, allocated.LotId, allocated.BenefitKey, allocated.Kind), CreditMeasure.Allocated, allocated.Quantity);
                break;
            case CreditsRedeemed redeemed:
                foreach (var draw in redeemed.Draws)
                {
                    Move(_lots[draw.LotId], CreditMeasure.Redeemed, draw.Quantity);
                }

                break;
            case RedemptionVoided voided when before.Credits.Redemptions.TryGetValue(voided.RedemptionId, out var redemption) && redemption.VoidedAt is null:
                foreach (var draw in redemption.Draws)
                {
                    Move(_lots[draw.LotId], CreditMeasure.Redeemed, -draw.Quantity);
                }

                break;
            case CreditsAdjusted { LotId: { } lotId } up:
                Move(Grant(before, lotId, up.BenefitKey, up.Kind), CreditMeasure.Adjusted, up.Quantity);
                break;
            case CreditsAdjusted down:
                foreach (var draw in down.Draws)
                {
                    Move(_lots[draw.LotId], CreditMeasure.Adjusted, -draw.Quantity);
                }

                break;
            case CreditsExpired expired:
                // What already lapsed was counted on the day it lapsed; only the rest (a lot cut short by the end of
                // the membership, a rollover cap) expires today.
                var counted = Math.Min(expired.Quantity, _lapsedUnrecorded.GetValueOrDefault(expired.LotId));
                if (counted > 0)
                {
                    _lapsedUnrecorded[expired.LotId] -= counted;
                }

                Move(_lots[expired.LotId], CreditMeasure.Expired, expired.Quantity - counted);
                break;
        }

        void Move(LotTier lot, CreditMeasure measure, long quantity) =>
            batch.Add(new CreditKey(new TierDay(day, lot.PlanId, lot.PlanVersion, location), lot.BenefitKey, lot.Kind), measure, quantity);
    }

    /// <summary>
    /// A dated lot lapses at its expiry, but the log says so only when something next asks the ledger for it: a renewal,
    /// a checkout, the end of the membership. A past-due or suspended member's last lots, a lot a pause pushed past the
    /// resume charge, an add-on nobody used: each would be counted open for weeks (for good, if nothing comes) and
    /// expired in a later month, where the member's own balance (<see cref="Credits.CreditLedger.Balances"/>) already
    /// shows it expired. So a lot's lapse is counted ahead, on the local day it will lapse, and moved whenever the lot
    /// changes (used, voided back, frozen, its expiry pushed back by a pause); once that instant has passed it is fixed
    /// (<see cref="PassLapses"/>), and the expiry the log records later adds nothing (<see cref="ProjectCredits"/>).
    /// A lot lapses unless it is used up, frozen before its expiry, or undated (rollover credit).
    /// </summary>
    private void ScheduleLapses(Member after, string location, ReportBatch batch)
    {
        var zone = ZoneOf(after);
        var frozenSince = after.Credits.FrozenSince;
        foreach (var lot in after.Credits.Lots)
        {
            if (_lapsed.Contains(lot.LotId) || (lot.Remaining == 0 && !_lapsing.ContainsKey(lot.LotId)))
            {
                continue;
            }

            Lapse? next = null;
            if (lot.Remaining > 0 && lot.ExpiresAt is { } at && (frozenSince is not { } since || at <= since))
            {
                var tier = _lots[lot.LotId];
                next = new Lapse(new CreditKey(new TierDay(BillingCalendar.LocalDate(at, zone), tier.PlanId, tier.PlanVersion, location), tier.BenefitKey, tier.Kind), at, lot.Remaining);
            }

            var current = _lapsing.GetValueOrDefault(lot.LotId);
            if (current == next)
            {
                continue;
            }

            if (current is not null)
            {
                batch.Add(current.Key, CreditMeasure.Expired, -current.Quantity);
                _lapsing.Remove(lot.LotId);
            }

            if (next is not null)
            {
                batch.Add(next.Key, CreditMeasure.Expired, next.Quantity);
                _lapsing[lot.LotId] = next;
            }
        }
    }

    /// <summary>The lapses whose instant has come by <paramref name="now"/> have happened: they stay where they were counted.</summary>
    private void PassLapses(DateTimeOffset now)
    {
        if (_lapsing.Count == 0)
        {
            return;
        }

        foreach (var (lotId, lapse) in _lapsing.Where(l => l.Value.At <= now).ToList())
        {
            _lapsing.Remove(lotId);
            _lapsed.Add(lotId);
            _lapsedUnrecorded[lotId] = lapse.Quantity;
        }
    }

    /// <summary>A lot belongs to the tier the client was on when it was granted, whatever they move to later.</summary>
    private LotTier Grant(Member before, string lotId, string benefitKey, BenefitKind kind)
    {
        var plan = before.Enrolment is { } enrolment && before.Status != MembershipStatus.Cancelled ? enrolment.Plan : null;
        var lot = new LotTier(plan?.PlanId ?? NoPlan, plan?.Version ?? 0, benefitKey, kind == BenefitKind.DollarCredit ? "dollars" : "units");
        _lots[lotId] = lot;
        return lot;
    }

    private void ProjectRevenue(Member before, MemberEvent e, Member after, DateOnly day, string location, ReportBatch batch)
    {
        var clientKind = IsLive(before.Status) || IsLive(after.Status) ? Member : NonMember;
        switch (e)
        {
            // Checkout payments are counted from the checkout's own lines, which say what each treatment was.
            case PaymentRecorded { CheckoutId: null, Status: PaymentStatus.Succeeded } payment:
                Earn(payment.Category == BillingCategory.Subscription ? Member : clientKind, payment.Category switch
                {
                    BillingCategory.Subscription => "membership",
                    BillingCategory.AddOn => "add_on",
                    BillingCategory.Package => "package",
                    _ => "treatment",
                }, payment.Amount.Amount);
                break;
            case CheckoutCompleted checkout:
                _visits[day] = _visits.GetValueOrDefault(day) + 1;
                var buyer = IsLive(before.Status) ? Member : NonMember;
                foreach (var line in checkout.Receipt.Quote.Lines.Where(l => l.AmountDue.Amount != 0))
                {
                    Earn(buyer, line.ServiceId ?? line.Category.ToString().ToLowerInvariant(), line.AmountDue.Amount);
                }

                break;
            case RefundRecorded refund:
                Earn(refund.Category == BillingCategory.Subscription ? Member : clientKind, "refund", -refund.Amount.Amount);
                break;
        }

        void Earn(string kind, string key, long amount)
        {
            if (amount == 0)
            {
                return;
            }

            batch.Add(new RevenueKey(day, location, kind, key), amount);
            var month = new DateOnly(day.Year, day.Month, 1);
            if (amount > 0 && _countedMonth.GetValueOrDefault(kind) != month)
            {
                _countedMonth[kind] = month;
                batch.Add(new ClientMonthKey(month, location, kind), 1);
            }
        }
    }

    private static bool IsLive(MembershipStatus status) =>
        status is MembershipStatus.Active or MembershipStatus.PastDue or MembershipStatus.Paused or MembershipStatus.Suspended;

    private static void Count(Position? position, DateOnly day, string location, int sign, ReportBatch batch)
    {
        if (position is not { } p)
        {
            return;
        }

        var at = new TierDay(day, p.PlanId, p.PlanVersion, location);
        switch (p.Status)
        {
            case MembershipStatus.Active:
                batch.Add(at, MembershipMeasure.Active, sign);
                batch.Add(at, MembershipMeasure.Mrr, sign * p.Price);
                break;
            case MembershipStatus.PastDue:
                batch.Add(at, MembershipMeasure.PastDue, sign);
                break;
            case MembershipStatus.Paused:
                batch.Add(at, MembershipMeasure.Paused, sign);
                break;
            case MembershipStatus.Suspended:
                batch.Add(at, MembershipMeasure.Suspended, sign);
                break;
            case MembershipStatus.PendingPayment:
                batch.Add(at, MembershipMeasure.Pending, sign);
                break;
        }
    }

    /// <summary>Where a membership stands for the reports; only an active one counts its price, as MRR.</summary>
    private static Position? PositionOf(Member state) =>
        state.Enrolment is { } enrolment && state.Status is not (MembershipStatus.None or MembershipStatus.Cancelled)
            ? new Position(enrolment.Plan.PlanId, enrolment.Plan.Version, state.Status,
                state.Status == MembershipStatus.Active ? state.RecurringPrice?.Amount ?? 0 : 0)
            : null;

    private TimeZoneInfo ZoneOf(Member state) =>
        state.Enrolment?.Zone ?? (state.Profile is { } profile ? locationZone(profile.HomeLocationId) : null) ?? TimeZoneInfo.Utc;

    private static DateOnly? CardExpires(CardOnFile? card) =>
        card is { ExpMonth: >= 1 and <= 12, ExpYear: >= 2000 and <= 9998 }
            ? new DateOnly(card.ExpYear.Value, card.ExpMonth.Value, 1).AddMonths(1).AddDays(-1)
            : null;

    private readonly record struct Position(string PlanId, int PlanVersion, MembershipStatus Status, long Price);

    private sealed record LotTier(string PlanId, int PlanVersion, string BenefitKey, string Kind);

    /// <summary>A lot's lapse as counted: where (day, tier, kind), when, and how much of it.</summary>
    private sealed record Lapse(CreditKey Key, DateTimeOffset At, long Quantity);
}
