using MedSpa.Members;

namespace MedSpa.Web.Members;

/// <summary>
/// A cancellation option in words for the desk and the portal, from the figures the quote answered for that option:
/// what is charged now, what billing still takes and when, and the end date. Nothing here computes money.
/// </summary>
public static class CancellationWords
{
    public static string Describe(CancellationChoice choice, Func<Money, string> amount, Func<DateOnly, string> date)
    {
        ArgumentNullException.ThrowIfNull(choice);
        ArgumentNullException.ThrowIfNull(amount);
        ArgumentNullException.ThrowIfNull(date);
        var ends = $"the membership ends on {date(choice.EffectiveOn)}";
        return choice.Option switch
        {
            CancellationOption.BuyOut => $"Buy out the rest of the minimum term: {amount(choice.ChargeNow)} charged on the card now, nothing billed after; {ends}.",
            CancellationOption.ContinueToTermEnd when choice.BillingDates.Length > 0 =>
                $"Keep paying to the end of the minimum term: nothing charged now, {amount(choice.BilledLater)} billed over {choice.BillingDates.Length} more billing date(s) ({string.Join(", ", choice.BillingDates.Select(date))}); {ends}.",
            CancellationOption.ContinueToTermEnd => $"Keep paying to the end of the minimum term: nothing charged now or later; {ends}.",
            _ => $"End with the period already paid for: nothing charged now or later; {ends}.",
        };
    }

    /// <summary>What a confirmed cancellation did, for the confirmation message.</summary>
    public static string Confirmed(CancellationView view, Func<Money, string> amount, Func<DateOnly, string> date)
    {
        ArgumentNullException.ThrowIfNull(view);
        var charged = view.ChargedNow is { Amount: > 0 } paid ? $" {amount(paid)} was charged on the card to buy out the rest of the minimum term." : " Nothing was charged now.";
        var later = view.Option == CancellationOption.ContinueToTermEnd && view.RemainingObligation.Amount > 0
            ? $" Billing continues until then ({amount(view.RemainingObligation)} in all)."
            : "";
        return $"Cancelled: the membership ends on {date(view.EffectiveOn)}.{charged}{later}";
    }
}
