using MedSpa.Domain.Appointments;
using MedSpa.Practice;

using static MedSpa.Domain.Tests.Appointments.AppointmentExamples;

namespace MedSpa.Domain.Tests.Appointments;

public sealed class LocationCalendarTests
{
    private static readonly TimeSpan HalfHour = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    /// <summary>Open on Sundays in the small hours, to meet the clock changes (02:00 in New York).</summary>
    private static LocationCalendar NightOwl(int opens, int closes) => LocationCalendar.Of(NewYork with
    {
        Hours = new OpeningHours(new[] { new OpeningDay(DayOfWeek.Sunday, new TimeOnly(opens, 0), new TimeOnly(closes, 0)) }, SlotMinutes: 60),
    });

    [Fact]
    public void A_weekday_has_a_slot_every_15_minutes_from_opening_to_the_last_start_that_ends_by_closing()
    {
        var starts = Calendar(NewYork).SlotStarts(Monday, HalfHour).ToList();

        Assert.Equal(35, starts.Count);
        Assert.Equal(At(9), starts[0]);
        Assert.Equal(At(9, 15), starts[1]);
        Assert.Equal(At(17, 30), starts[^1]);
    }

    [Fact]
    public void A_weekday_not_listed_is_closed()
    {
        Assert.Empty(Calendar(NewYork).SlotStarts(new DateOnly(2027, 2, 28), HalfHour));
        Assert.Null(Calendar(NewYork).OpenOn(new DateOnly(2027, 2, 28)));
    }

    [Fact]
    public void Opening_time_is_local_so_its_instant_moves_an_hour_across_the_spring_change()
    {
        // Friday 12 March 2027 is on EST (UTC−5), Monday 15 March on EDT (UTC−4).
        Assert.Equal(new DateTimeOffset(2027, 3, 12, 14, 0, 0, TimeSpan.Zero), Calendar(NewYork).OpenOn(new DateOnly(2027, 3, 12))!.Value.Opens);
        Assert.Equal(new DateTimeOffset(2027, 3, 15, 13, 0, 0, TimeSpan.Zero), Calendar(NewYork).OpenOn(new DateOnly(2027, 3, 15))!.Value.Opens);
    }

    [Fact]
    public void On_the_spring_forward_night_the_slot_the_clocks_skip_does_not_exist()
    {
        // Sunday 14 March 2027: 02:00 EST becomes 03:00 EDT, so 01:00–05:00 is three hours long.
        var starts = NightOwl(1, 5).SlotStarts(new DateOnly(2027, 3, 14), Hour).ToList();

        Assert.Equal(
            new[] { new DateTimeOffset(2027, 3, 14, 6, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 3, 14, 7, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 3, 14, 8, 0, 0, TimeSpan.Zero) },
            starts);
        // The Sunday before has all four.
        Assert.Equal(4, NightOwl(1, 5).SlotStarts(new DateOnly(2027, 3, 7), Hour).Count());
    }

    [Fact]
    public void On_the_fall_back_night_a_repeated_time_is_its_first_occurrence_and_the_day_runs_an_hour_longer()
    {
        // Sunday 7 November 2027: 02:00 EDT becomes 01:00 EST, so 01:00 happens twice; 00:00–03:00 lasts four hours.
        var calendar = NightOwl(0, 3);
        var date = new DateOnly(2027, 11, 7);

        Assert.Equal(
            new[] { new DateTimeOffset(2027, 11, 7, 4, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 11, 7, 5, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 11, 7, 7, 0, 0, TimeSpan.Zero) },
            calendar.SlotStarts(date, Hour));
        var open = calendar.OpenOn(date)!.Value;
        Assert.Equal(TimeSpan.FromHours(4), open.Closes - open.Opens);
    }

    [Fact]
    public void The_same_local_time_is_three_hours_apart_in_New_York_and_Los_Angeles()
    {
        Assert.Equal(TimeSpan.FromHours(3), Calendar(LosAngeles).OpenOn(Monday)!.Value.Opens - Calendar(NewYork).OpenOn(Monday)!.Value.Opens);

        // 05:30 UTC on 2 March is past midnight in New York but still the 1st in Los Angeles.
        var instant = new DateTimeOffset(2027, 3, 2, 5, 30, 0, TimeSpan.Zero);
        Assert.Equal(new DateOnly(2027, 3, 2), Calendar(NewYork).DateOf(instant));
        Assert.Equal(Monday, Calendar(LosAngeles).DateOf(instant));
    }

    [Theory]
    [InlineData(9, 0, true)]
    [InlineData(17, 30, true)]
    [InlineData(8, 45, false)]
    [InlineData(17, 45, false)]
    [InlineData(9, 10, false)]
    public void An_appointment_is_bookable_when_it_starts_on_a_slot_and_ends_by_closing(int hour, int minute, bool bookable) =>
        Assert.Equal(bookable, Calendar(NewYork).IsBookable(At(hour, minute), At(hour, minute) + HalfHour));

    [Fact]
    public void A_location_saved_without_hours_opens_at_the_default_hours() =>
        Assert.Equal(OpeningHours.Default, LocationCalendar.Of(NewYork with { Hours = null }).Hours);
}
