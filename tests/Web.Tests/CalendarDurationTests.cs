using MedSpa.Web.Clock;

namespace MedSpa.Web.Tests;

public sealed class CalendarDurationTests
{
    private static readonly DateTimeOffset January31 = new(2027, 1, 31, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("P1M", "2027-02-28T09:00:00+00:00")]
    [InlineData("P2M", "2027-03-31T09:00:00+00:00")]
    [InlineData("P1Y", "2028-01-31T09:00:00+00:00")]
    [InlineData("P1W", "2027-02-07T09:00:00+00:00")]
    [InlineData("P3D", "2027-02-03T09:00:00+00:00")]
    [InlineData("PT36H", "2027-02-01T21:00:00+00:00")]
    [InlineData("P1DT2H30M", "2027-02-01T11:30:00+00:00")]
    [InlineData("PT0.5S", "2027-01-31T09:00:00.5+00:00")]
    public void Steps_through_the_calendar(string text, string expected)
    {
        Assert.True(CalendarDuration.TryParse(text, out var duration));
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), duration.After(January31));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("1M")]
    [InlineData("P-1M")]
    [InlineData("P1.5M")]
    [InlineData("P1H")]
    [InlineData("p1m")]
    [InlineData("P99999999999Y")]
    [InlineData("P1M ")]
    public void Refuses_what_is_not_a_forward_ISO_8601_duration(string? text) =>
        Assert.False(CalendarDuration.TryParse(text, out _));

    [Fact]
    public void A_duration_past_the_calendar_has_no_end() =>
        Assert.Null(new CalendarDuration(9000, 0, 0, TimeSpan.Zero).After(January31));
}
