using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using MedSpa.Billing;
using MedSpa.Domain.Billing;
using MedSpa.Domain.Credits;
using MedSpa.Members;
using MedSpa.Plans;

namespace MedSpa.Domain.Members;

/// <summary>A plan change as the member's log tells it: what it does and how far it got.</summary>
public sealed record PlanChangeRecord(string ChangeId, PlanChangeTerms Terms, PlanChangeStatus Status);

public sealed partial record Member
{
    private const string PlanChangeKeyPrefix = "plan-change";

    /// <summary>Every confirmed plan change by change id, so a retried request is recognised.</summary>
    public ImmutableDictionary<string, PlanChangeRecord> PlanChanges { get; init; } = ImmutableDictionary<string, PlanChangeRecord>.Empty;

    /// <summary>The downgrade waiting for the next billing date, if any.</summary>
    public PlanChangeScheduled? ScheduledPlanChange { get; init; }

    /// <summary>
    /// What changing to <paramref name="to"/> would cost and do today, recording nothing. Refusals: 409
    /// <c>same_plan</c>, <c>plan_not_sold_here</c>, <c>period_not_paid</c>, and the membership's state
    /// (<c>membership_past_due</c>, <c>membership_suspended</c>, ...); 400 <c>currency_mismatch</c>.
    /// </summary>
    public PlanChangeOutcome QuotePlanChange(string memberId, PlanVersion to, DateTimeOffset now)
    {
        var terms = ChangeTermsFor(to, now);
        return terms is null
            ? WithdrawalOutcome(memberId, null, now)
            : Outcome(memberId, new PlanChangeRecord("", terms, PlanChangeStatus.Quoted)) with { ChangeId = null };
    }

    /// <summary>
    /// Makes the change. An upgrade with something to charge records the change and the charge attempt (key
    /// <c>plan-change:{member}:{changeId}:{attempt}</c>) and applies only when <see cref="ResolveCharge"/> hears it was paid;
    /// one with nothing to charge (a lateral change, or a difference that rounds to nothing) applies at once. A downgrade is
    /// scheduled for the next billing date and replaces any other scheduled one; asking for the current plan withdraws it.
    /// A change id already recorded with the same plan records nothing; with another plan it is 409 <c>change_id_reused</c>.
    /// </summary>
    public IReadOnlyList<MemberEvent> ConfirmPlanChange(string memberId, string changeId, PlanVersion to, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(to);
        if (PlanChanges.TryGetValue(changeId, out var earlier))
        {
            if (earlier.Terms.To.PlanId != to.PlanId)
            {
                throw Reject.Conflict("change_id_reused", $"Change {changeId} was already used for {earlier.Terms.To.PlanId}.");
            }

            // Only a declined upgrade is tried again under its id; anything else already happened or is being resolved.
            if (StatusOf(memberId, earlier) != PlanChangeStatus.Declined)
            {
                return [];
            }
        }

        var terms = ChangeTermsFor(to, now);
        if (terms is null)
        {
            return [new PlanChangeWithdrawn(changeId, ScheduledPlanChange!.ChangeId) { OccurredAt = now }];
        }

        if (terms.Direction == PlanChangeDirection.Downgrade)
        {
            return ScheduledPlanChange is { } scheduled && scheduled.Terms.To.PlanId == to.PlanId && scheduled.Terms.To.Version == to.Version
                ? []
                : [new PlanChangeScheduled(changeId, terms) { OccurredAt = now }];
        }

        if (terms.Charge.Amount == 0)
        {
            return new Decision(this).Add(new PlanChanged(changeId, terms) { OccurredAt = now }).Add(GrantExtraCredits(changeId, terms, now)).Events;
        }

        if (UnresolvedAttempt is { } unresolved)
        {
            throw Reject.Conflict("charge_in_progress", $"The outcome of {unresolved.AttemptId} is not known yet.");
        }

        var card = Card ?? throw Reject.Conflict("no_card_on_file", "An upgrade is charged on the card on file, and the member has none: save a card first.");
        var prefix = AttemptKeyPrefix(memberId, changeId);
        var attempt = ChargeAttempts.Count(a => a.AttemptId.StartsWith(prefix, StringComparison.Ordinal)) + 1;
        var key = string.Create(CultureInfo.InvariantCulture, $"{prefix}{attempt}");
        return
        [
            new PlanChangeRequested(changeId, terms) { OccurredAt = now },
            new ChargeAttempted(key, PaidPeriod!.Start, attempt, terms.Charge, key, card.PaymentMethodId, ChargePurpose.PlanChange, changeId) { OccurredAt = now },
        ];
    }

    /// <summary>
    /// The upgrade a paid plan-change charge was for: the membership moves to the new plan now, with the prorated extra
    /// credit as lots expiring with the current period. <see cref="ResolveCharge"/> calls it once the payment is recorded.
    /// </summary>
    private IReadOnlyList<MemberEvent> CompletePlanChange(ChargeAttemptView attempt, string paymentId, DateTimeOffset now)
    {
        var changeId = ChangeIdOf(attempt.AttemptId);
        if (changeId is null || !PlanChanges.TryGetValue(changeId, out var change) || change.Status == PlanChangeStatus.Applied)
        {
            // Paid for a change that is no longer waiting (already applied): the money is recorded, nothing applies twice.
            return [];
        }

        return new Decision(this)
            .Add(new PlanChanged(changeId, change.Terms, paymentId) { OccurredAt = now })
            .Add(GrantExtraCredits(changeId, change.Terms, now))
            .Events;
    }

    /// <summary>
    /// The start of the period from <paramref name="periodStart"/>, whenever it is billed (charged, chased or paid): a
    /// downgrade due by then switches the plan, the last period's lapsed credit is recorded as expired, and rolled-over
    /// credit of a benefit the plan no longer includes ends. Nothing twice: a second call records nothing new.
    /// </summary>
    private IReadOnlyList<MemberEvent> EnterPeriod(DateOnly periodStart, DateTimeOffset now)
    {
        var decision = new Decision(this);
        if (ScheduledPlanChange is { } scheduled && scheduled.Terms.EffectiveOn <= periodStart)
        {
            decision.Add(new PlanChanged(scheduled.ChangeId, scheduled.Terms) { OccurredAt = now });
        }

        decision.Add(decision.State.Credits.ExpireDue(now));
        return decision
            .Add(decision.State.Credits.ExpireDropped(BenefitKeysOf(decision.State.Enrolment!.Plan.Terms.Benefits), now))
            .Events;
    }

    /// <summary>The plan a period starting <paramref name="periodStart"/> is billed on: a scheduled downgrade from its date.</summary>
    private EnrolledPlan PlanFor(DateOnly periodStart)
    {
        var enrolment = RequireEnrolment();
        return ScheduledPlanChange is { } scheduled && periodStart >= scheduled.Terms.EffectiveOn ? scheduled.Terms.To : enrolment.Plan;
    }

    /// <summary>
    /// The downgrade still to come, dated by the period it will be billed with: the next billing date, which a pause may
    /// have moved past the date first quoted. None once the membership has ended.
    /// </summary>
    private PendingPlanChangeView? PendingPlanChangeView()
    {
        if (ScheduledPlanChange is not { } scheduled || Status is MembershipStatus.Cancelled or MembershipStatus.None)
        {
            return null;
        }

        var on = NextPeriodStart is { } next && next > scheduled.Terms.EffectiveOn ? next : scheduled.Terms.EffectiveOn;
        return new PendingPlanChangeView(
            scheduled.ChangeId, scheduled.Terms.To.PlanId, scheduled.Terms.To.Version, scheduled.Terms.To.Terms.Name, PriceFor(on), on);
    }

    /// <summary>Where the change <paramref name="changeId"/> stands, with what it costs and does.</summary>
    public PlanChangeOutcome PlanChangeOutcome(string memberId, string changeId, DateTimeOffset now)
    {
        if (PlanChanges.TryGetValue(changeId, out var change))
        {
            return Outcome(memberId, change);
        }

        throw Reject.NotFound("plan_change_not_found", $"There is no plan change {changeId}.");
    }

    /// <summary>The change id an attempt key carries, or null when the attempt is not a plan change's.</summary>
    public static string? ChangeIdOf(string attemptId)
    {
        var parts = attemptId.Split(':');
        return parts is [PlanChangeKeyPrefix, _, var changeId, _] ? changeId : null;
    }

    /// <summary>A change id given by the caller (letters, digits, - and _; it goes in a colon-separated key), or a new one.</summary>
    public static string RequireChangeId(string? changeId, DateTimeOffset now)
    {
        if (changeId is null)
        {
            return Identifiers.New("chg", now);
        }

        var trimmed = changeId.Trim();
        return ChangeIdPattern().IsMatch(trimmed)
            ? trimmed
            : throw Reject.Invalid("invalid_change_id", "A change id is 1 to 64 letters, digits, - or _.");
    }

    private static string AttemptKeyPrefix(string memberId, string changeId) => $"{PlanChangeKeyPrefix}:{memberId}:{changeId}:";

    /// <summary>The terms of a change to <paramref name="to"/> today, or null when it asks to stay and a downgrade is scheduled.</summary>
    private PlanChangeTerms? ChangeTermsFor(PlanVersion to, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(to);
        var profile = RequireProfile();
        var enrolment = RequireEnrolment();
        RequireChangeableStatus();
        if (PendingCancellation is { } ending)
        {
            // The obligation quoted and confirmed was for this plan; a new plan would change what the member agreed to owe.
            throw Reject.Conflict("cancellation_pending", $"The membership ends on {ending.EffectiveOn:yyyy-MM-dd}; withdraw the cancellation before changing plan.");
        }

        if (to.PlanId == enrolment.Plan.PlanId)
        {
            return ScheduledPlanChange is not null
                ? null
                : throw Reject.Conflict("same_plan", $"The member is already on {enrolment.Plan.Terms.Name}.");
        }

        if (to.Terms.LocationIds is { Count: > 0 } sold && !sold.Contains(profile.HomeLocationId))
        {
            throw Reject.Conflict("plan_not_sold_here", $"{to.Terms.Name} is not sold at the client's home location.");
        }

        var today = BillingCalendar.LocalDate(now, enrolment.Zone);
        if (PaidPeriod is not { } period || today >= period.End || today < period.Start)
        {
            throw Reject.Conflict("period_not_paid", "The current period's payment has not been taken yet; the plan can change once it has.");
        }

        // A period a pause extended is prorated over the days it was served, not the days it was frozen.
        var quote = Proration.Quote(PriceFor(period.Start), to.Terms.MonthlyPrice, today, period.ServedFrom, period.End);
        var direction = quote.Kind switch
        {
            PlanChangeKind.Upgrade => PlanChangeDirection.Upgrade,
            PlanChangeKind.Lateral => PlanChangeDirection.Lateral,
            _ => PlanChangeDirection.Downgrade,
        };
        // Only an upgrade pays for credit: a lateral change costs nothing, so it swaps the plan and the next period brings
        // the new plan's credit (granting it now would be credit nobody paid for, again at each swap back and forth).
        var extras = direction == PlanChangeDirection.Upgrade ? ExtraCreditsOf(quote, enrolment.Plan.Terms, to.Terms) : [];
        return new PlanChangeTerms(
            direction, enrolment.Plan.PlanId, enrolment.Plan.Version, new EnrolledPlan(to.PlanId, to.Version, to.Terms), quote.Charge, today,
            quote.EffectiveOn, quote.RemainingDays, quote.DaysInPeriod, extras);
    }

    /// <summary>
    /// The new plan's unit and dollar benefits beyond the old plan's, prorated to the days left. A benefit the new plan
    /// has less of takes nothing away: the member paid for this period's credits.
    /// </summary>
    private static ExtraCredit[] ExtraCreditsOf(PlanChangeQuote quote, PlanTerms from, PlanTerms to)
    {
        long Quantity(Benefit? b) => b?.Kind switch
        {
            BenefitKind.TreatmentUnits => b.Units ?? 0,
            BenefitKind.DollarCredit => b.Amount?.Amount ?? 0,
            _ => 0,
        };

        return to.Benefits
            .Where(b => b.Kind is BenefitKind.TreatmentUnits or BenefitKind.DollarCredit)
            .Select(b =>
            {
                var key = b.Key ?? BenefitKeys.For(b.Kind, b.ServiceId, b.Category);
                var old = Quantity(from.Benefits.FirstOrDefault(o => (o.Key ?? BenefitKeys.For(o.Kind, o.ServiceId, o.Category)) == key && o.Kind == b.Kind));
                var extra = b.Kind == BenefitKind.TreatmentUnits ? quote.ExtraUnits(old, Quantity(b)) : quote.ExtraDollars(old, Quantity(b));
                return new ExtraCredit(key, b.Kind, extra);
            })
            .Where(e => e.Quantity > 0)
            .ToArray();
    }

    /// <summary>
    /// The upgrade's prorated extra credit, under the new plan's rule for each benefit: it rolls over (within the cap)
    /// when the new plan's benefit does, else it expires with the period, like the period's own allocation.
    /// </summary>
    private IReadOnlyList<MemberEvent> GrantExtraCredits(string changeId, PlanChangeTerms terms, DateTimeOffset now)
    {
        var enrolment = RequireEnrolment();
        var expiresAt = BillingCalendar.ChargeInstant(PaidPeriod!.End, enrolment.Zone);
        var decision = new Decision(this);
        foreach (var extra in terms.ExtraCredits)
        {
            var benefit = terms.To.Terms.Benefits.FirstOrDefault(b => b.Kind == extra.Kind && (b.Key ?? BenefitKeys.For(b.Kind, b.ServiceId, b.Category)) == extra.BenefitKey)
                ?? new Benefit(extra.Kind, Key: extra.BenefitKey);
            decision.Add(decision.State.Credits.AllocatePart(benefit, extra.Quantity, expiresAt, changeId, now));
        }

        return decision.Events;
    }

    /// <summary>
    /// What a change to <paramref name="terms"/> ends: rolled-over credit of benefits the new plan lacks, at the first
    /// period of the new plan (the next billing date for an upgrade, the change itself for a downgrade).
    /// </summary>
    private EndingCredit[] CreditsEndingWith(PlanChangeTerms terms)
    {
        var kept = BenefitKeysOf(terms.To.Terms.Benefits);
        var endsOn = terms.Direction == PlanChangeDirection.Downgrade ? terms.EffectiveOn : PaidPeriod?.End ?? terms.EffectiveOn;
        return [.. Credits.RolledOverOutside(kept)
            .GroupBy(lot => (lot.BenefitKey, lot.Kind))
            .Select(g => new EndingCredit(g.Key.BenefitKey, g.Key.Kind, g.Sum(lot => lot.Remaining), endsOn))];
    }

    private void RequireChangeableStatus()
    {
        var (code, message) = Status switch
        {
            MembershipStatus.Active => (null, null),
            MembershipStatus.PastDue => ("membership_past_due", "The membership has an unpaid balance; settle it before changing plan."),
            MembershipStatus.Suspended => ("membership_suspended", "The membership is suspended for an unpaid balance; settle it before changing plan."),
            MembershipStatus.PendingPayment => ("membership_pending_payment", "The membership starts with its first payment; change plan after that, or enrol again."),
            MembershipStatus.Paused => ("membership_paused", "The membership is paused; resume it before changing plan."),
            _ => ("not_a_member", "This client has no active membership."),
        };
        if (code is not null)
        {
            throw Reject.Conflict(code, message!);
        }
    }

    /// <summary>An upgrade waiting for its charge is declined when its last attempt was; the log records no separate fact for it.</summary>
    private PlanChangeStatus StatusOf(string memberId, PlanChangeRecord change) =>
        change.Status == PlanChangeStatus.Pending && LastAttemptOf(memberId, change.ChangeId) is { Result: { } result } && result != ChargeResult.Succeeded
            ? PlanChangeStatus.Declined
            : change.Status;

    private ChargeAttemptView? LastAttemptOf(string memberId, string changeId) =>
        ChargeAttempts.FindLast(a => a.AttemptId.StartsWith(AttemptKeyPrefix(memberId, changeId), StringComparison.Ordinal));

    private PlanChangeOutcome Outcome(string memberId, PlanChangeRecord change)
    {
        var terms = change.Terms;
        var status = StatusOf(memberId, change);
        var attempt = status is PlanChangeStatus.Pending or PlanChangeStatus.Declined ? LastAttemptOf(memberId, change.ChangeId) : null;

        return new PlanChangeOutcome(
            status, change.ChangeId, terms.Direction, terms.FromPlanId, terms.To.PlanId, terms.To.Version, terms.Charge, terms.EffectiveOn,
            terms.RemainingDays, terms.DaysInPeriod, terms.ExtraCredits, Membership(memberId), attempt?.AttemptId,
            status == PlanChangeStatus.Declined ? attempt?.DeclineCode ?? attempt?.Result?.ToString() : null,
            status == PlanChangeStatus.Declined ? attempt?.Message : null)
        {
            CreditsEnding = status is PlanChangeStatus.Quoted or PlanChangeStatus.Pending or PlanChangeStatus.Declined or PlanChangeStatus.Scheduled
                ? CreditsEndingWith(terms)
                : [],
        };
    }

    /// <summary>Asking for the current plan while a downgrade is scheduled: nothing to pay, the member stays.</summary>
    private PlanChangeOutcome WithdrawalOutcome(string memberId, string? changeId, DateTimeOffset now)
    {
        var enrolment = RequireEnrolment();
        return new PlanChangeOutcome(
            changeId is null ? PlanChangeStatus.Quoted : PlanChangeStatus.Withdrawn, changeId, PlanChangeDirection.Lateral, enrolment.Plan.PlanId,
            enrolment.Plan.PlanId, enrolment.Plan.Version, enrolment.Price with { Amount = 0 }, BillingCalendar.LocalDate(now, enrolment.Zone), 0, 0, [],
            Membership(memberId));
    }

    private Member ApplyPlanChange(MemberEvent e) => e switch
    {
        PlanChangeRequested requested => this with
        {
            PlanChanges = PlanChanges.SetItem(requested.ChangeId, new PlanChangeRecord(requested.ChangeId, requested.Terms, PlanChangeStatus.Pending)),
        },
        PlanChanged changed => this with
        {
            Enrolment = Enrolment! with { Plan = changed.Terms.To },
            // An upgrade replaces a scheduled downgrade; a downgrade taking effect replaces itself.
            PlanChanges = Supersede(PlanChanges).SetItem(changed.ChangeId, new PlanChangeRecord(changed.ChangeId, changed.Terms, PlanChangeStatus.Applied)),
            ScheduledPlanChange = null,
        },
        PlanChangeScheduled scheduled => this with
        {
            PlanChanges = Supersede(PlanChanges).SetItem(scheduled.ChangeId, new PlanChangeRecord(scheduled.ChangeId, scheduled.Terms, PlanChangeStatus.Scheduled)),
            ScheduledPlanChange = scheduled,
        },
        PlanChangeWithdrawn withdrawn => this with
        {
            PlanChanges = Supersede(PlanChanges).SetItem(
                withdrawn.ChangeId, new PlanChangeRecord(withdrawn.ChangeId, PlanChanges[withdrawn.WithdrawnChangeId].Terms with { To = Enrolment!.Plan, Direction = PlanChangeDirection.Lateral }, PlanChangeStatus.Withdrawn)),
            ScheduledPlanChange = null,
        },
        _ => this,
    };

    private ImmutableDictionary<string, PlanChangeRecord> Supersede(ImmutableDictionary<string, PlanChangeRecord> changes) =>
        ScheduledPlanChange is { } scheduled && changes.TryGetValue(scheduled.ChangeId, out var replaced)
            ? changes.SetItem(scheduled.ChangeId, replaced with { Status = PlanChangeStatus.Superseded })
            : changes;

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex ChangeIdPattern();
}
