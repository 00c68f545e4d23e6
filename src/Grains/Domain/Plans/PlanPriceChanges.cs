using System.Text.RegularExpressions;
using MedSpa.Domain.Billing;
using MedSpa.Plans;

namespace MedSpa.Domain.Plans;

/// <summary>
/// A plan's scheduled price increases. Each is recorded once by its change id; asking again with the same request
/// gives the recorded change back, so whoever asked can finish telling members after a failure half way.
/// </summary>
public static partial class PlanPriceChanges
{
    /// <summary>A notice period longer than a year is a typing mistake, not a policy.</summary>
    public const int MaxNoticeDays = 365;

    /// <summary>
    /// The change <paramref name="request"/> asks for, and whether it is new. Refusals: 400 <c>invalid_price</c>,
    /// <c>invalid_currency</c>, <c>invalid_amount</c>, <c>currency_mismatch</c>, <c>invalid_notice_period</c>,
    /// <c>invalid_change_id</c>; 409 <c>not_an_increase</c>, <c>change_id_reused</c>.
    /// </summary>
    public static (ScheduledPriceChange Change, bool IsNew) Schedule(
        Plan plan, IReadOnlyList<ScheduledPriceChange> scheduled, PriceChangeRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(scheduled);
        ArgumentNullException.ThrowIfNull(request);
        var newPrice = request.NewPrice is null
            ? throw Reject.Invalid("invalid_price", "Give the new monthly price: {\"amount\": 21900, \"currency\": \"usd\"}.")
            : Prices.Require(request.NewPrice);
        var noticeDays = request.NoticeDays ?? PriceIncrease.DefaultNoticeDays;
        if (noticeDays is < 0 or > MaxNoticeDays)
        {
            throw Reject.Invalid("invalid_notice_period", $"The notice period is 0 to {MaxNoticeDays} days.");
        }

        var changeId = request.ChangeId is null ? Identifiers.New("pchg", now) : request.ChangeId.Trim();
        if (!ChangeIdPattern().IsMatch(changeId))
        {
            throw Reject.Invalid("invalid_change_id", "A change id is 1 to 64 letters, digits, - or _.");
        }

        if (scheduled.FirstOrDefault(c => c.ChangeId == changeId) is { } earlier)
        {
            return earlier.NewPrice == newPrice && earlier.NoticeDays == noticeDays
                ? (earlier, false)
                : throw Reject.Conflict("change_id_reused", $"Price change {changeId} was already scheduled with another price or notice period.");
        }

        var current = plan.Current.Terms.MonthlyPrice;
        if (newPrice.Currency != current.Currency)
        {
            throw Reject.Invalid("currency_mismatch", $"{plan.Current.Terms.Name} is priced in {current.Currency}, not {newPrice.Currency}.");
        }

        // Measured against the price members are already heading to, so a second increase is an increase on the first.
        var reference = scheduled.Count > 0 && scheduled[^1].NewPrice.Amount > current.Amount ? scheduled[^1].NewPrice : current;
        if (newPrice.Amount <= reference.Amount)
        {
            throw Reject.Conflict("not_an_increase", $"The new price must be above {Prices.Format(reference)}; lowering a price is a new plan version (PUT the plan).");
        }

        return (new ScheduledPriceChange(changeId, plan.Id, reference, newPrice, noticeDays, now), true);
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex ChangeIdPattern();
}
