using System.Globalization;
using MedSpa.Domain.Billing;

namespace MedSpa.Domain.Tests.Billing;

public sealed class PriceIncreaseTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly TimeZoneInfo Sydney = TimeZoneInfo.FindSystemTimeZoneById("Australia/Sydney");
    private static readonly Money Old = new(9_900, "usd");
    private static readonly Money New = new(10_900, "usd");

    [Theory]
    // Notified 1 Mar: 30 days runs to 31 Mar, so 15 Apr is the first billing date with enough notice.
    [InlineData("2026-03-01T15:00:00Z", 15, "2026-04-15")]
    // Notified 16 Mar at 08:00: the 15 Apr charge at 09:00 is 30 days and an hour later.
    [InlineData("2026-03-16T12:00:00Z", 16, "2026-04-16")]
    [InlineData("2026-03-16T12:00:00Z", 15, "2026-04-15")]
    // Notified 16 Mar at 10:00: 09:00 on 15 Apr is an hour short, so it waits for 15 May.
    [InlineData("2026-03-16T14:00:00Z", 15, "2026-05-15")]
    // Anchored on the 31st, notified 29 Jan 2028 at 08:00: 29 Feb is the February billing date and has enough notice.
    [InlineData("2028-01-29T13:00:00Z", 31, "2028-02-29")]
    // Notified 30 Jan 2026: 28 Feb is a day short, so 31 Mar.
    [InlineData("2026-01-30T13:00:00Z", 31, "2026-03-31")]
    // Notified 14 Feb at 09:00 EST: 30 local days later is 16 Mar 09:00 EDT, one hour less than 30 × 24 h, and enough.
    [InlineData("2026-02-14T14:00:00Z", 16, "2026-03-16")]
    public void The_new_price_applies_from_the_first_billing_date_at_least_the_notice_period_after_the_notice(
        string notifiedAt, int anchorDay, string effectiveFrom)
    {
        Assert.Equal(Day(effectiveFrom), PriceIncrease.EffectiveFrom(Instant(notifiedAt), anchorDay, NewYork));
    }

    [Fact]
    public void The_notice_is_counted_in_the_members_home_time_zone()
    {
        // 23:30 UTC on 14 Mar is already 15 Mar in Sydney: 30 days later is 14 Apr there, past the 09:00 charge on the 14th.
        var notifiedAt = Instant("2026-03-14T23:30:00Z");

        Assert.Equal(Day("2026-05-14"), PriceIncrease.EffectiveFrom(notifiedAt, 14, Sydney));
        Assert.Equal(Day("2026-04-14"), PriceIncrease.EffectiveFrom(notifiedAt, 14, NewYork));
    }

    [Fact]
    public void A_practice_can_give_longer_or_no_notice_but_not_negative()
    {
        var notifiedAt = Instant("2026-03-01T15:00:00Z");

        Assert.Equal(Day("2026-05-15"), PriceIncrease.EffectiveFrom(notifiedAt, 15, NewYork, 60));
        Assert.Equal(Day("2026-03-15"), PriceIncrease.EffectiveFrom(notifiedAt, 15, NewYork, 0));
        Assert.Equal("invalid_notice_period", Assert.Throws<CommandRejectedException>(() => PriceIncrease.EffectiveFrom(notifiedAt, 15, NewYork, -1)).Code);
    }

    [Theory]
    [InlineData(true, "2026-03-15", 9_900)]
    [InlineData(true, "2026-04-15", 10_900)]
    [InlineData(true, "2026-05-15", 10_900)]
    [InlineData(false, "2026-04-15", 9_900)]
    [InlineData(false, "2026-05-15", 9_900)]
    public void Only_a_confirmed_member_pays_the_new_price_and_only_from_the_effective_date(bool confirmed, string billingDate, long price)
    {
        var change = new MemberPriceChange(New, Day("2026-04-15"), confirmed);

        Assert.Equal(new Money(price, "usd"), PriceIncrease.PriceOn(Day(billingDate), Old, change));
        Assert.Equal(!confirmed, change.NeedsFollowUp);
    }

    [Fact]
    public void With_no_change_scheduled_the_price_stays_and_a_change_in_another_currency_is_refused()
    {
        Assert.Equal(Old, PriceIncrease.PriceOn(Day("2026-04-15"), Old, null));
        Assert.Equal("currency_mismatch", Assert.Throws<CommandRejectedException>(
            () => PriceIncrease.PriceOn(Day("2026-04-15"), Old, new MemberPriceChange(new Money(10_900, "eur"), Day("2026-04-15"), true))).Code);
    }

    private static DateOnly Day(string text) => DateOnly.Parse(text, CultureInfo.InvariantCulture);

    private static DateTimeOffset Instant(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
}
