using MedSpa.Domain.Billing;
using MedSpa.Import;
using MedSpa.Members;
using MedSpa.Plans;
using MedSpa.Practice;

namespace MedSpa.Domain.Members;

public sealed partial record Member
{
    /// <summary>The reason carried-over balances are recorded under in the ledger.</summary>
    public const string ImportReason = "import";

    /// <summary>What this member was imported under (their email at the time), or null for a member who joined here.</summary>
    public string? ImportKey { get; init; }

    /// <summary>
    /// A member moving in from the practice's old records, as they stand there: registered, on <paramref name="plan"/>
    /// (its current version) at its price, billed on their own billing day from the next occurrence on or after today
    /// (so nobody is charged on import day unless that is their billing day anyway), with the minimum term they already
    /// had, their card when the processor vouched for it, and their balances as import adjustments. Nothing is charged
    /// and no agreement is signed. The same import key again records nothing; any other client here is refused.
    /// </summary>
    public IReadOnlyList<MemberEvent> Import(string memberId, MemberImport import, PlanVersion plan, IReadOnlyList<Location> locations, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(import);
        ArgumentNullException.ThrowIfNull(plan);
        if (AlreadyImported(import.ImportKey))
        {
            return [];
        }

        var decision = new Decision(this).Add(Register(memberId, import.Client, Registrar.Staff, locations, now));
        var home = locations.Single(l => l.Id == import.Client.HomeLocationId);
        if (plan.Terms.LocationIds is { Count: > 0 } sold && !sold.Contains(home.Id))
        {
            throw Reject.Invalid("plan_not_sold_here", $"{plan.Terms.Name} is not sold at {home.Name}.");
        }

        var zone = TimeZoneInfo.FindSystemTimeZoneById(home.TimeZone);
        var today = BillingCalendar.LocalDate(now, zone);
        if (import.BillingDay is < 1 or > 31)
        {
            throw Reject.Invalid("invalid_billing_day", "The billing day is a day of the month, 1 to 31.");
        }

        if (import.MemberSince > today)
        {
            throw Reject.Invalid("invalid_date", "The membership start date is in the future: import members who have already joined.");
        }

        // The next occurrence of their billing day on or after today, short months clamped as the calendar does.
        var next = BillingCalendar.NextBillingDate(import.BillingDay, today.AddDays(-1));
        DateOnly? pausedUntil = null;
        switch (import.Status)
        {
            case MembershipStatus.Active or MembershipStatus.Cancelled:
                break;
            case MembershipStatus.Paused when import.PausedUntil is { } until && until > today:
                pausedUntil = until;
                next = until;
                break;
            case MembershipStatus.Paused:
                throw Reject.Invalid("invalid_pause", "A paused member needs the date their pause ends (\"paused until\"), after today.");
            default:
                throw Reject.Invalid("invalid_status", "The status is active, paused or cancelled.");
        }

        var termEnd = import.TermEnd ?? BillingCalendar.AddPeriods(import.BillingDay, import.MemberSince, plan.Terms.MinimumTermMonths);
        decision.Add(new MemberImported(
            import.ImportKey, new EnrolledPlan(plan.PlanId, plan.Version, plan.Terms), home.TimeZone, import.MemberSince, import.BillingDay, termEnd,
            import.Status, next, pausedUntil) { OccurredAt = now });
        if (import.Card is { } card && import.Status != MembershipStatus.Cancelled)
        {
            decision.Add(decision.State.SaveCard(card.CustomerId, card.Card, now));
        }

        foreach (var balance in import.Balances.Where(b => b.Quantity != 0))
        {
            decision.Add(OpeningBalance(decision.State, plan.Terms, balance, zone, today, next, now));
        }

        return import.Status == MembershipStatus.Paused
            ? decision.Add(decision.State.Credits.Freeze(now)).Events
            : decision.Events;
    }

    /// <summary>True when this member was imported under <paramref name="importKey"/>; 409 <c>duplicate_member</c> for any other client.</summary>
    public bool AlreadyImported(string importKey) => IsRegistered switch
    {
        false => false,
        true when ImportKey == importKey => true,
        true => throw Reject.Conflict("duplicate_member", "This client is already registered here; the row is not imported."),
    };

    /// <summary>
    /// A carried-over balance as an upward adjustment (reason <see cref="ImportReason"/>), so the ledger's
    /// <c>allocated + adjusted = redeemed + expired + balance</c> holds from the first day. A dated balance lasts to the
    /// end of its expiry date; an undated one of a benefit that lapses each period lapses with the current period, as
    /// the practice's own allocation would have; rolling credit does not lapse.
    /// </summary>
    private static IReadOnlyList<MemberEvent> OpeningBalance(
        Member member, PlanTerms terms, OpeningBalance balance, TimeZoneInfo zone, DateOnly today, DateOnly next, DateTimeOffset now)
    {
        if (member.Status == MembershipStatus.Cancelled)
        {
            throw Reject.Invalid("invalid_balance", "A cancelled membership has no credits to carry over.");
        }

        var benefit = terms.Benefits.FirstOrDefault(b => b.Key == balance.BenefitKey && b.Kind != BenefitKind.Discount)
            ?? throw Reject.Invalid("unknown_benefit", $"{terms.Name} has no balance called \"{balance.BenefitKey}\".");
        if (balance.Quantity < 0)
        {
            throw Reject.Invalid("invalid_balance", $"The {balance.BenefitKey} balance cannot be negative.");
        }

        if (balance.ExpiresOn is { } on && on < today)
        {
            throw Reject.Invalid("invalid_balance", $"The {balance.BenefitKey} balance expired on {on:yyyy-MM-dd}: leave lapsed credit out.");
        }

        DateTimeOffset? expiresAt = balance.ExpiresOn is { } day
            ? BillingCalendar.LocalInstant(day.AddDays(1).ToDateTime(TimeOnly.MinValue), zone)
            : benefit.Rollover is null && member.Status == MembershipStatus.Active ? BillingCalendar.ChargeInstant(next, zone) : null;
        return member.Credits.Adjust(
            new CreditAdjustmentRequest($"import:{balance.BenefitKey}", balance.BenefitKey, balance.Quantity, ImportReason), benefit.Kind, expiresAt, now);
    }

    private Member ApplyImport(MemberImported imported) => this with
    {
        ImportKey = imported.ImportKey,
        Enrolment = new Enrolment(imported.Plan, imported.TimeZone, imported.MemberSince, imported.AnchorDay, imported.TermEnd, null),
        Status = imported.Status,
        NextPeriodStart = imported.NextPeriodStart,
        // The period they are in was paid under the old system; the next one is billed here.
        PaidPeriod = imported.Status == MembershipStatus.Active
            ? new BillingPeriod(BillingCalendar.AddPeriods(imported.AnchorDay, imported.NextPeriodStart, -1), imported.NextPeriodStart)
            : null,
        CurrentPause = imported.PausedUntil is { } until
            ? new MembershipPaused(BillingCalendar.LocalDate(imported.OccurredAt, TimeZoneInfo.FindSystemTimeZoneById(imported.TimeZone)), until) { OccurredAt = imported.OccurredAt }
            : null,
        // A lapsed member is one staff can win back: the lapse is dated from the day they moved in.
        LastCancellation = imported.Status == MembershipStatus.Cancelled
            ? new MembershipCancelled(ImportReason, null, false, BillingCalendar.LocalDate(imported.OccurredAt, TimeZoneInfo.FindSystemTimeZoneById(imported.TimeZone))) { OccurredAt = imported.OccurredAt }
            : null,
    };
}
