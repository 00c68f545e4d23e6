namespace MedSpa.Domain.Billing;

/// <summary>
/// A scheduled new price as it stands for one member: from which billing date it may apply, and whether they have
/// agreed to it. Unconfirmed members keep paying the old price and stay on the follow-up list.
/// </summary>
public sealed record MemberPriceChange(Money NewPrice, DateOnly EffectiveFrom, bool Confirmed)
{
    public bool NeedsFollowUp => !Confirmed;
}

public static class PriceIncrease
{
    public const int DefaultNoticeDays = 30;

    /// <summary>
    /// The first billing date whose charge falls at least <paramref name="noticeDays"/> after the member was notified.
    /// The notice is counted in calendar days of the home location, so a clock change inside the notice period
    /// neither shortens it nor costs the practice a month.
    /// </summary>
    public static DateOnly EffectiveFrom(DateTimeOffset notifiedAt, int anchorDay, TimeZoneInfo zone, int noticeDays = DefaultNoticeDays)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (noticeDays < 0)
        {
            throw Reject.Invalid("invalid_notice_period", "A notice period is zero or more days.");
        }

        var notifiedLocal = TimeZoneInfo.ConvertTime(notifiedAt, zone).DateTime;
        var deadline = BillingCalendar.LocalInstant(notifiedLocal.AddDays(noticeDays), zone);
        var candidate = BillingCalendar.NextBillingDate(anchorDay, DateOnly.FromDateTime(deadline.DateTime).AddDays(-1));
        // The deadline may be later in the day than the 09:00 charge: that billing date is then a little short of notice.
        return BillingCalendar.ChargeInstant(candidate, zone) >= deadline ? candidate : BillingCalendar.NextBillingDate(anchorDay, candidate);
    }

    /// <summary>What the member is charged on <paramref name="billingDate"/>.</summary>
    public static Money PriceOn(DateOnly billingDate, Money currentPrice, MemberPriceChange? change)
    {
        ArgumentNullException.ThrowIfNull(currentPrice);
        if (change is null)
        {
            return currentPrice;
        }

        if (!string.Equals(change.NewPrice.Currency, currentPrice.Currency, StringComparison.Ordinal))
        {
            throw Reject.Invalid("currency_mismatch", $"The new price is in {change.NewPrice.Currency}, the membership in {currentPrice.Currency}.");
        }

        return change.Confirmed && billingDate >= change.EffectiveFrom ? change.NewPrice : currentPrice;
    }
}
