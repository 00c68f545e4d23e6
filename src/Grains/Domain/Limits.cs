using MedSpa.Plans;

namespace MedSpa.Domain;

/// <summary>
/// The largest figures the rules accept, in one place, so the API, the pages and the import all refuse the same
/// numbers with the same codes, and no sum the domain keeps (a balance, a basket, a member's payments) can come near
/// the edge of a <see cref="long"/>: a number that wrapped round would be recorded in the append-only log for good.
/// </summary>
/// <remarks>
/// Older refusals keep their codes (<c>invalid_amount</c> for a price, <c>invalid_units</c> for a plan's units,
/// <c>invalid_quantity</c> for a basket line, <c>pause_too_long</c>): clients program against them. The codes here are
/// for the movements that had no ceiling: credit adjustments, grants and redemptions, opening balances, desk payments
/// and refunds.
/// </remarks>
public static class Limits
{
    /// <summary>
    /// $1,000,000.00 in cents: no price, payment, refund or dollar credit at a clinic comes near it, yet a basket of
    /// <c>50 × 20</c> such lines, or a century of monthly payments, is still a million times inside a <see cref="long"/>.
    /// </summary>
    public const long MaxAmount = 100_000_000;

    /// <summary>
    /// Treatment units moved at once (an adjustment, a grant, a redemption, a carried-over balance): a year of the
    /// most generous plan (100 units a month) many times over, and far short of anything a sum could overflow on.
    /// </summary>
    public const long MaxUnits = 100_000;

    /// <summary>A quantity of credit beyond <see cref="MaxCredit"/>, up or down (400).</summary>
    public const string QuantityOutOfRange = "quantity_out_of_range";

    /// <summary>An amount of money beyond <see cref="MaxAmount"/>, or below zero where only a payment can be (400).</summary>
    public const string AmountOutOfRange = "amount_out_of_range";

    /// <summary>The most of a benefit one movement can carry: units, or cents of dollar credit.</summary>
    public static long MaxCredit(BenefitKind kind) => kind == BenefitKind.DollarCredit ? MaxAmount : MaxUnits;

    /// <summary>Refuses a movement of credit larger than <see cref="MaxCredit"/> either way (sign is checked by each rule).</summary>
    public static long RequireCredit(BenefitKind kind, long quantity)
    {
        var max = MaxCredit(kind);
        // Compared against both bounds, never negated: -long.MinValue is long.MinValue again.
        return quantity >= -max && quantity <= max
            ? quantity
            : throw Reject.Invalid(QuantityOutOfRange, $"A change of credit is at most {max} {(kind == BenefitKind.DollarCredit ? "cents" : "units")} at a time.");
    }

    /// <summary>Refuses an amount of money outside 0 to <see cref="MaxAmount"/> minor units.</summary>
    public static long RequireAmount(long amount) =>
        amount is >= 0 and <= MaxAmount
            ? amount
            : throw Reject.Invalid(AmountOutOfRange, $"An amount is a whole number of minor units from 0 to {MaxAmount}.");
}
