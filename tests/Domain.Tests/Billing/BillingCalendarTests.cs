using System.Globalization;
using MedSpa.Domain.Billing;

namespace MedSpa.Domain.Tests.Billing;

public sealed class BillingCalendarTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly TimeZoneInfo Sydney = TimeZoneInfo.FindSystemTimeZoneById("Australia/Sydney");

    [Theory]
    [InlineData(31, "2026-01-31", "2026-02-28")]
    [InlineData(31, "2026-02-28", "2026-03-31")]
    [InlineData(31, "2028-01-31", "2028-02-29")]
    [InlineData(29, "2028-02-29", "2028-03-29")]
    [InlineData(30, "2026-01-30", "2026-02-28")]
    [InlineData(15, "2026-12-15", "2027-01-15")]
    [InlineData(15, "2026-12-01", "2026-12-15")]
    [InlineData(31, "2026-04-30", "2026-05-31")]
    public void The_next_billing_date_is_the_anchor_day_or_the_months_last_day(int anchorDay, string from, string expected)
    {
        Assert.Equal(Day(expected), BillingCalendar.NextBillingDate(anchorDay, Day(from)));
    }

    [Fact]
    public void A_year_of_billing_dates_anchored_on_the_31st_follows_each_months_length()
    {
        var date = new DateOnly(2027, 12, 31);
        var dates = new List<DateOnly>();
        for (var i = 0; i < 12; i++)
        {
            date = BillingCalendar.NextBillingDate(31, date);
            dates.Add(date);
        }

        Assert.Equal([31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dates.Select(d => d.Day));
    }

    [Theory]
    [InlineData("2026-01-31", 6, "2026-07-31")]
    [InlineData("2026-08-31", 6, "2027-02-28")]
    [InlineData("2027-08-31", 6, "2028-02-29")]
    [InlineData("2026-03-15", 12, "2027-03-15")]
    [InlineData("2026-03-15", 0, "2026-03-15")]
    public void The_term_ends_on_the_anchor_date_the_term_later(string enrolledOn, int months, string expected)
    {
        Assert.Equal(Day(expected), BillingCalendar.TermEnd(Day(enrolledOn), months));
    }

    [Theory]
    [InlineData("2026-03-07", "2026-03-07T14:00:00Z")] // EST, the day before clocks go forward
    [InlineData("2026-03-08", "2026-03-08T13:00:00Z")] // EDT from 02:00 that morning
    [InlineData("2026-11-01", "2026-11-01T14:00:00Z")] // EST again from 02:00 that morning
    public void Charges_run_at_nine_local_time_whatever_the_daylight_saving(string date, string instant)
    {
        Assert.Equal(Instant(instant), BillingCalendar.ChargeInstant(Day(date), NewYork));
    }

    [Fact]
    public void A_wall_clock_time_skipped_by_spring_forward_is_the_first_moment_after_the_gap()
    {
        var instant = BillingCalendar.LocalInstant(new DateTime(2026, 3, 8, 2, 30, 0), NewYork);

        Assert.Equal(Instant("2026-03-08T07:00:00Z"), instant);
    }

    [Fact]
    public void A_wall_clock_time_repeated_by_fall_back_is_its_first_occurrence()
    {
        var instant = BillingCalendar.LocalInstant(new DateTime(2026, 11, 1, 1, 30, 0), NewYork);

        Assert.Equal(Instant("2026-11-01T05:30:00Z"), instant);
    }

    [Fact]
    public void The_local_date_is_the_home_locations_not_utcs()
    {
        var lateEveningInNewYork = Instant("2026-01-31T03:30:00Z");

        Assert.Equal(new DateOnly(2026, 1, 30), BillingCalendar.LocalDate(lateEveningInNewYork, NewYork));
        Assert.Equal(new DateOnly(2026, 1, 31), BillingCalendar.LocalDate(lateEveningInNewYork, Sydney));
    }

    private static DateOnly Day(string text) => DateOnly.Parse(text, CultureInfo.InvariantCulture);

    private static DateTimeOffset Instant(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
}
