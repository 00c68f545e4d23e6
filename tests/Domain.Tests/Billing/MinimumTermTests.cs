using System.Globalization;
using MedSpa.Domain.Billing;
using MedSpa.Plans;

namespace MedSpa.Domain.Tests.Billing;

public sealed class MinimumTermTests
{
    private static readonly Money Monthly = new(9_900, "usd");

    [Theory]
    // Enrolled 31 Jan for 6 months: the term ends 31 Jul; still owed 31 Mar, 30 Apr, 31 May, 30 Jun.
    [InlineData("2026-01-31", 6, "2026-03-10", "2026-07-31", 4)]
    // On the enrolment day itself, the first payment is made: 28 Feb to 30 Jun are owed.
    [InlineData("2026-01-31", 6, "2026-01-31", "2026-07-31", 5)]
    // A term ending on 29 Feb 2028: 31 Dec and 31 Jan are owed, 29 Feb is the term end, not owed.
    [InlineData("2027-08-31", 6, "2027-12-15", "2028-02-29", 2)]
    // The day before that term end: nothing more is owed, but the membership still runs to it.
    [InlineData("2027-08-31", 6, "2028-02-28", "2028-02-29", 0)]
    // On a billing date, that day's charge is already made: July to February are owed.
    [InlineData("2026-03-15", 12, "2026-06-15", "2027-03-15", 8)]
    [InlineData("2026-03-15", 12, "2026-06-14", "2027-03-15", 9)]
    public void Before_the_term_is_met_the_billing_dates_left_are_owed_and_the_membership_runs_to_the_term_end(
        string enrolledOn, int months, string today, string termEnd, int owed)
    {
        var enrolled = Day(enrolledOn);

        var quote = MinimumTerm.Quote(Monthly, enrolled, months, enrolled.Day, Day(today));

        Assert.Equal(new CancellationQuote(false, Day(termEnd), Day(termEnd), owed, Usd(9_900 * owed), Usd(0)), quote);
    }

    [Theory]
    [InlineData("2026-03-15", 12, "2027-03-15", "2027-04-15")]
    [InlineData("2026-03-15", 12, "2027-05-20", "2027-06-15")]
    [InlineData("2026-01-31", 6, "2026-08-05", "2026-08-31")]
    [InlineData("2026-01-31", 6, "2026-09-30", "2026-10-31")]
    [InlineData("2027-08-31", 6, "2028-02-29", "2028-03-31")]
    [InlineData("2026-05-20", 0, "2026-05-20", "2026-06-20")]
    public void After_the_term_a_cancellation_takes_effect_at_the_end_of_the_current_period(string enrolledOn, int months, string today, string effectiveOn)
    {
        var enrolled = Day(enrolledOn);

        var quote = MinimumTerm.Quote(Monthly, enrolled, months, enrolled.Day, Day(today));

        Assert.True(quote.TermMet);
        Assert.Equal(Day(effectiveOn), quote.EffectiveOn);
        Assert.Equal(0, quote.RemainingBillingDates);
        Assert.Equal(Usd(0), quote.RemainingObligation);
        Assert.Equal(Usd(0), quote.BuyOutCharge);
    }

    [Fact]
    public void A_buy_out_charges_the_obligation_now_and_ends_with_the_period_already_paid()
    {
        var quote = MinimumTerm.Quote(Monthly, Day("2026-01-31"), 6, 31, Day("2026-03-10"), CancellationPolicy.BuyOut);

        Assert.Equal(new CancellationQuote(false, Day("2026-07-31"), Day("2026-03-31"), 4, Usd(39_600), Usd(39_600)), quote);
    }

    [Fact]
    public void A_term_end_fixed_at_enrolment_holds_when_a_pause_has_moved_the_anchor_day()
    {
        // Enrolled 31 Jan for 12 months, paused, resumed on 10 May: now billed on the 10th, the term still ends 31 Jan.
        var quote = MinimumTerm.Quote(Monthly, Day("2027-01-31"), 10, Day("2026-11-20"));

        // 10 Dec and 10 Jan are owed.
        Assert.Equal(new CancellationQuote(false, Day("2027-01-31"), Day("2027-01-31"), 2, Usd(19_800), Usd(0)), quote);
    }

    private static Money Usd(long amount) => new(amount, "usd");

    private static DateOnly Day(string text) => DateOnly.Parse(text, CultureInfo.InvariantCulture);
}
