using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using MedSpa.Domain.Billing;
using MedSpa.Domain.Tests.Members;
using MedSpa.Domain.Tests.Plans;
using MedSpa.Members;
using MedSpa.Plans;

namespace MedSpa.Domain.Tests.Billing;

/// <summary>Random periods (every anchor day, short months, leap years) and random prices up to the largest allowed.</summary>
public sealed class ProrationProperties
{
    public sealed record Change(DateOnly PeriodStart, DateOnly NextBillingDate, DateOnly Early, DateOnly Late, long A, long B, long C)
    {
        public int Days => NextBillingDate.DayNumber - PeriodStart.DayNumber;

        public long Charge(long from, long to, DateOnly on) =>
            Proration.Quote(new Money(from, "usd"), new Money(to, "usd"), on, PeriodStart, NextBillingDate).Charge.Amount;
    }

    public static Arbitrary<Change> Changes()
    {
        var price = Gen.Frequency((1, Gen.Choose(0, 100)), (3, Gen.Choose(0, 100_000)), (1, Gen.Choose(0, (int)Prices.MaxAmount)));
        var gen =
            from year in Gen.Choose(2024, 2032)
            from month in Gen.Choose(1, 12)
            from anchor in Gen.Choose(1, 31)
            from first in Gen.Choose(0, 30)
            from second in Gen.Choose(0, 30)
            from prices in Gen.ArrayOf(price, 3)
            let start = BillingCalendar.BillingDate(anchor, year, month)
            let next = BillingCalendar.NextBillingDate(anchor, start)
            let days = next.DayNumber - start.DayNumber
            let sorted = prices.Order().ToArray()
            select new Change(
                start, next, start.AddDays(Math.Min(first, second) % days), start.AddDays(Math.Max(first, second) % days), sorted[0], sorted[1], sorted[2]);
        return gen.ToArbitrary();
    }

    [Property(Arbitrary = [typeof(ProrationProperties)], MaxTest = 2000)]
    public bool An_upgrade_never_charges_more_than_the_difference_for_a_whole_period(Change c)
    {
        var charge = c.Charge(c.A, c.C, c.Early);
        return charge >= 0 && charge <= c.C - c.A && c.Charge(c.A, c.C, c.PeriodStart) == c.C - c.A;
    }

    [Property(Arbitrary = [typeof(ProrationProperties)], MaxTest = 2000)]
    public bool The_later_the_change_the_less_it_costs(Change c)
    {
        // Early and Late are ordered, but may fall in either order once wrapped into a short month.
        var (first, second) = c.Early <= c.Late ? (c.Early, c.Late) : (c.Late, c.Early);
        return c.Charge(c.A, c.C, first) >= c.Charge(c.A, c.C, second);
    }

    [Property(Arbitrary = [typeof(ProrationProperties)], MaxTest = 2000)]
    public bool The_charge_is_the_exact_share_rounded_to_the_nearest_cent(Change c)
    {
        var remaining = c.NextBillingDate.DayNumber - c.Early.DayNumber;
        var error = (c.Charge(c.A, c.C, c.Early) * c.Days) - ((c.C - c.A) * remaining);
        return 2 * Math.Abs(error) <= c.Days;
    }

    [Property(Arbitrary = [typeof(ProrationProperties)], MaxTest = 2000)]
    public bool Two_upgrades_on_one_day_cost_what_one_would_give_or_take_a_cent(Change c) =>
        Math.Abs(c.Charge(c.A, c.B, c.Early) + c.Charge(c.B, c.C, c.Early) - c.Charge(c.A, c.C, c.Early)) <= 1;

    [Property(Arbitrary = [typeof(ProrationProperties)], MaxTest = 2000)]
    public bool A_downgrade_never_charges_and_always_waits_for_the_next_billing_date(Change c)
    {
        var quote = Proration.Quote(new Money(c.C, "usd"), new Money(c.A, "usd"), c.Early, c.PeriodStart, c.NextBillingDate);
        return c.A == c.C || (quote.Kind == PlanChangeKind.Downgrade && quote.Charge.Amount == 0 && quote.EffectiveOn == c.NextBillingDate);
    }

    [Property(Arbitrary = [typeof(ProrationProperties)], MaxTest = 2000)]
    public bool Extra_units_are_never_more_than_the_days_paid_for(Change c)
    {
        var quote = Proration.Quote(new Money(c.A, "usd"), new Money(c.C, "usd"), c.Early, c.PeriodStart, c.NextBillingDate);
        var (oldUnits, newUnits) = (c.A % 50, c.C % 50 + 50);
        var extra = quote.ExtraUnits(oldUnits, newUnits);
        return extra >= 0 && extra * quote.DaysInPeriod <= (newUnits - oldUnits) * quote.RemainingDays
            && (extra + 1) * quote.DaysInPeriod > (newUnits - oldUnits) * quote.RemainingDays;
    }

    /// <summary>
    /// The same bound through a member: enrolled on the period's first day on a plan at A, upgrading on any later day of
    /// that period to a plan at C, the charge recorded before the card is called is never more than C − A, and the extra
    /// units granted never more than the difference in units.
    /// </summary>
    [Property(Arbitrary = [typeof(ProrationProperties)], MaxTest = 300)]
    public bool A_members_upgrade_never_charges_or_grants_more_than_a_whole_periods_difference(Change c)
    {
        if (c.A == 0 || c.A == c.C)
        {
            return true;
        }

        // Noon in New York, so the local date is the date meant.
        DateTimeOffset Noon(DateOnly day) => new(day.ToDateTime(new TimeOnly(17, 0)), TimeSpan.Zero);
        var (oldUnits, newUnits) = ((int)(c.A % 10) + 1, (int)(c.C % 10) + 11);
        var from = MemberPlanChangeTests.Version("plan_from", PlanExamples.Premium with
        {
            MonthlyPrice = PlanExamples.Usd(c.A),
            Benefits = [new Benefit(BenefitKind.TreatmentUnits, ServiceId: "svc_tox", Units: oldUnits)],
        });
        var to = MemberPlanChangeTests.Version("plan_to", PlanExamples.Premium with
        {
            Name = "To",
            MonthlyPrice = PlanExamples.Usd(c.C),
            Benefits = [new Benefit(BenefitKind.TreatmentUnits, ServiceId: "svc_tox", Units: newUnits)],
        });
        var member = MemberPlanChangeTests.Active(plan: from, at: Noon(c.PeriodStart));
        if (member.PaidPeriod?.End != c.NextBillingDate)
        {
            // The generator's anchor differs from the enrolment day's when the period starts on a short month's last day.
            return true;
        }

        var events = member.ConfirmPlanChange("mem_1", "chg_p", to, Noon(c.Early));
        var attempt = events.OfType<ChargeAttempted>().SingleOrDefault();
        var charged = attempt?.Amount.Amount ?? 0;
        var paid = MemberPlanChangeTests.Fold(member, events);
        if (attempt is not null)
        {
            paid = MemberPlanChangeTests.Fold(paid, paid.ResolveCharge(attempt.AttemptId, MedSpa.Billing.ChargeResult.Succeeded, "pi", null, null, Noon(c.Early), DunningPolicy.Default));
        }

        var extraUnits = paid.Credits.Available("units:svc_tox", Noon(c.Early)) - oldUnits;
        return charged <= c.C - c.A && charged >= 0 && extraUnits >= 0 && extraUnits <= newUnits - oldUnits && paid.Enrolment!.Plan.PlanId == "plan_to";
    }
}
