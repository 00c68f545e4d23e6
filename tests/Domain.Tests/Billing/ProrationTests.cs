using System.Globalization;
using MedSpa.Domain.Billing;

namespace MedSpa.Domain.Tests.Billing;

public sealed class ProrationTests
{
    private static readonly Money Essentials = Usd(9_900);
    private static readonly Money Premium = Usd(19_900);

    [Theory]
    // $99 → $199 on day 10 of January: 22 of 31 days left, $100 × 22 ÷ 31 = $70.9677… → $70.97.
    [InlineData("2026-01-01", "2026-02-01", "2026-01-10", 7_097, 22, 31)]
    // February 2026 has 28 days: half of it is exactly half the difference.
    [InlineData("2026-02-01", "2026-03-01", "2026-02-15", 5_000, 14, 28)]
    // February 2028 has 29: $100 × 15 ÷ 29 = $51.7241… → $51.72.
    [InlineData("2028-02-01", "2028-03-01", "2028-02-15", 5_172, 15, 29)]
    // Anchored on the 31st, the period from 31 Jan is 28 days: $100 × 18 ÷ 28 = $64.2857… → $64.29.
    [InlineData("2026-01-31", "2026-02-28", "2026-02-10", 6_429, 18, 28)]
    // Changing on the billing date itself is the whole period.
    [InlineData("2026-01-01", "2026-02-01", "2026-01-01", 10_000, 31, 31)]
    // Changing on the period's last day is one day: $100 ÷ 31 = $3.2258… → $3.23.
    [InlineData("2026-01-01", "2026-02-01", "2026-01-31", 323, 1, 31)]
    // April has 30 days; anchored on the 30th the period to 30 May is 30 days: $100 × 5 ÷ 30 = $16.666… → $16.67.
    [InlineData("2026-04-30", "2026-05-30", "2026-05-25", 1_667, 5, 30)]
    public void An_upgrade_charges_the_difference_for_the_days_left_to_the_cent(
        string periodStart, string nextBillingDate, string changeDate, long charge, int remaining, int days)
    {
        var quote = Proration.Quote(Essentials, Premium, Day(changeDate), Day(periodStart), Day(nextBillingDate));

        Assert.Equal(new PlanChangeQuote(PlanChangeKind.Upgrade, Usd(charge), Day(changeDate), remaining, days), quote);
    }

    [Fact]
    public void A_half_cent_rounds_away_from_zero_once_at_the_end()
    {
        // 5¢ × 15 ÷ 30 = 2.5¢ → 3¢.
        var quote = Proration.Quote(Usd(1_000), Usd(1_005), Day("2026-04-16"), Day("2026-04-01"), Day("2026-05-01"));

        Assert.Equal(Usd(3), quote.Charge);
        Assert.Equal(1, Proration.ProrateAmount(1, 1, 2));
        Assert.Equal(-1, Proration.ProrateAmount(-1, 1, 2));
        Assert.Equal(2, Proration.ProrateAmount(3, 1, 2));
        Assert.Equal(1, Proration.ProrateAmount(4, 1, 3));
    }

    [Fact]
    public void The_largest_prices_do_not_overflow()
    {
        var quote = Proration.Quote(Usd(0), Usd(Prices.MaxAmount), Day("2026-01-02"), Day("2026-01-01"), Day("2026-02-01"));

        // $1,000,000 × 30 ÷ 31 = 96,774,193.548… cents.
        Assert.Equal(Usd(96_774_194), quote.Charge);
    }

    [Fact]
    public void Extra_units_round_down_and_extra_dollars_to_the_cent()
    {
        var quote = Proration.Quote(Essentials, Premium, Day("2026-01-10"), Day("2026-01-01"), Day("2026-02-01"));

        // 3 more units × 22 ÷ 31 = 2.13 → 2; $25 more facial credit × 22 ÷ 31 = $17.7419… → $17.74.
        Assert.Equal(2, quote.ExtraUnits(2, 5));
        Assert.Equal(1_774, quote.ExtraDollars(5_000, 7_500));
        // One more unit with under a whole period left is no unit: the member cannot redeem part of a treatment.
        Assert.Equal(0, quote.ExtraUnits(1, 2));
    }

    [Fact]
    public void A_downgrade_charges_nothing_grants_nothing_and_applies_at_the_next_billing_date()
    {
        var quote = Proration.Quote(Premium, Essentials, Day("2026-01-10"), Day("2026-01-01"), Day("2026-02-01"));

        Assert.Equal(new PlanChangeQuote(PlanChangeKind.Downgrade, Usd(0), Day("2026-02-01"), 22, 31), quote);
        Assert.Equal(0, quote.ExtraUnits(2, 5));
        Assert.Equal(0, quote.ExtraDollars(0, 5_000));
    }

    [Fact]
    public void A_change_at_the_same_price_applies_at_once_with_nothing_to_charge()
    {
        var quote = Proration.Quote(Premium, Premium, Day("2026-01-10"), Day("2026-01-01"), Day("2026-02-01"));

        Assert.Equal(new PlanChangeQuote(PlanChangeKind.Lateral, Usd(0), Day("2026-01-10"), 22, 31), quote);
    }

    [Fact]
    public void Prices_in_two_currencies_are_refused()
    {
        var error = Assert.Throws<CommandRejectedException>(
            () => Proration.Quote(Essentials, new Money(19_900, "eur"), Day("2026-01-10"), Day("2026-01-01"), Day("2026-02-01")));

        Assert.Equal("currency_mismatch", error.Code);
    }

    [Theory]
    [InlineData("2025-12-31")]
    [InlineData("2026-02-01")]
    [InlineData("2026-02-02")]
    public void A_change_date_outside_the_current_period_is_refused(string changeDate)
    {
        var error = Assert.Throws<CommandRejectedException>(
            () => Proration.Quote(Essentials, Premium, Day(changeDate), Day("2026-01-01"), Day("2026-02-01")));

        Assert.Equal("change_outside_period", error.Code);
    }

    [Fact]
    public void An_empty_period_and_an_out_of_range_price_are_refused()
    {
        Assert.Equal("invalid_period", Assert.Throws<CommandRejectedException>(
            () => Proration.Quote(Essentials, Premium, Day("2026-01-01"), Day("2026-01-01"), Day("2026-01-01"))).Code);
        Assert.Equal("invalid_amount", Assert.Throws<CommandRejectedException>(
            () => Proration.Quote(Essentials, Usd(Prices.MaxAmount + 1), Day("2026-01-10"), Day("2026-01-01"), Day("2026-02-01"))).Code);
    }

    private static Money Usd(long amount) => new(amount, "usd");

    private static DateOnly Day(string text) => DateOnly.Parse(text, CultureInfo.InvariantCulture);
}
