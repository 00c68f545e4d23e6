namespace MedSpa.Domain.Billing;

public enum PlanChangeKind
{
    /// <summary>Dearer plan: takes effect at once, the rest of the period is charged at the difference.</summary>
    Upgrade,

    /// <summary>Same price (a different mix of benefits): takes effect at once, nothing to charge.</summary>
    Lateral,

    /// <summary>Cheaper plan: nothing is refunded; the member keeps what they paid for until the next billing date.</summary>
    Downgrade,
}

/// <summary>
/// What a plan change costs and when it applies. <see cref="RemainingDays"/> of <see cref="DaysInPeriod"/> is the share
/// of the period still to come, counting the change date itself.
/// </summary>
public sealed record PlanChangeQuote(PlanChangeKind Kind, Money Charge, DateOnly EffectiveOn, int RemainingDays, int DaysInPeriod)
{
    /// <summary>The extra unit credits an upgrade grants now, rounded down: a part of a treatment cannot be redeemed.</summary>
    public long ExtraUnits(long oldUnits, long newUnits) =>
        Kind == PlanChangeKind.Downgrade ? 0 : Proration.ProrateUnits(newUnits - oldUnits, RemainingDays, DaysInPeriod);

    /// <summary>The extra dollar credit an upgrade grants now, to the cent.</summary>
    public long ExtraDollars(long oldAmount, long newAmount) =>
        Kind == PlanChangeKind.Downgrade ? 0 : Proration.ProrateAmount(newAmount - oldAmount, RemainingDays, DaysInPeriod);
}

/// <summary>
/// Plan changes mid-period. Days are calendar days in the home location's time zone: the caller passes local dates,
/// so a daylight-saving change never makes a day count as 23 or 25 hours' worth.
/// </summary>
public static class Proration
{
    /// <summary>
    /// Quotes a change from <paramref name="oldPrice"/> to <paramref name="newPrice"/> (both monthly) made on
    /// <paramref name="changeDate"/> within the period [<paramref name="periodStart"/>, <paramref name="nextBillingDate"/>).
    /// </summary>
    public static PlanChangeQuote Quote(Money oldPrice, Money newPrice, DateOnly changeDate, DateOnly periodStart, DateOnly nextBillingDate)
    {
        ArgumentNullException.ThrowIfNull(oldPrice);
        ArgumentNullException.ThrowIfNull(newPrice);
        Prices.Require(oldPrice);
        Prices.Require(newPrice);
        if (!string.Equals(oldPrice.Currency, newPrice.Currency, StringComparison.Ordinal))
        {
            throw Reject.Invalid("currency_mismatch", $"The plans are priced in {oldPrice.Currency} and {newPrice.Currency}; a change needs one currency.");
        }

        if (periodStart >= nextBillingDate)
        {
            throw Reject.Invalid("invalid_period", "A billing period ends after it starts.");
        }

        if (changeDate < periodStart || changeDate >= nextBillingDate)
        {
            throw Reject.Invalid("change_outside_period", $"The change date must fall within the current period, {periodStart:O} to {nextBillingDate:O}.");
        }

        var days = nextBillingDate.DayNumber - periodStart.DayNumber;
        var remaining = nextBillingDate.DayNumber - changeDate.DayNumber;
        var difference = newPrice.Amount - oldPrice.Amount;
        return difference switch
        {
            > 0 => new PlanChangeQuote(PlanChangeKind.Upgrade, newPrice with { Amount = ProrateAmount(difference, remaining, days) }, changeDate, remaining, days),
            0 => new PlanChangeQuote(PlanChangeKind.Lateral, newPrice with { Amount = 0 }, changeDate, remaining, days),
            _ => new PlanChangeQuote(PlanChangeKind.Downgrade, newPrice with { Amount = 0 }, nextBillingDate, remaining, days),
        };
    }

    /// <summary><paramref name="amount"/> × <paramref name="remainingDays"/> ÷ <paramref name="daysInPeriod"/>, rounded once, half away from zero.</summary>
    public static long ProrateAmount(long amount, int remainingDays, int daysInPeriod)
    {
        RequireShare(remainingDays, daysInPeriod);
        return DivideHalfAwayFromZero(checked(amount * remainingDays), daysInPeriod);
    }

    /// <summary>The same share of whole units, rounded toward zero: a member never gets a unit they did not pay for.</summary>
    public static long ProrateUnits(long units, int remainingDays, int daysInPeriod)
    {
        RequireShare(remainingDays, daysInPeriod);
        return checked(units * remainingDays) / daysInPeriod;
    }

    private static long DivideHalfAwayFromZero(long numerator, long denominator)
    {
        var quotient = Math.DivRem(numerator, denominator, out var remainder);
        // Comparing 2·|r| with d avoids any fractional step; |r| < d ≤ a period's days, so doubling cannot overflow.
        return Math.Abs(remainder) * 2 >= denominator ? quotient + Math.Sign(numerator) : quotient;
    }

    private static void RequireShare(int remainingDays, int daysInPeriod)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(daysInPeriod);
        ArgumentOutOfRangeException.ThrowIfNegative(remainingDays);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(remainingDays, daysInPeriod);
    }
}
