using MedSpa.Practice;

namespace MedSpa.Domain.Appointments;

/// <summary>
/// A location's opening hours read in its own time zone: which local date an instant falls on, when a date opens and
/// closes, and the slot grid appointments start on. Slots are wall-clock times (09:00, 09:15, …), so on a day the
/// clocks change they keep their local times and a slot the clocks skip does not exist.
/// </summary>
public sealed record LocationCalendar(TimeZoneInfo Zone, OpeningHours Hours)
{
    public static LocationCalendar Of(Location location) =>
        new(TimeZoneInfo.FindSystemTimeZoneById(location.TimeZone), location.Hours ?? OpeningHours.Default);

    public DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Zone).DateTime);

    /// <summary>When the location opens and closes on <paramref name="date"/>, or null when it is closed that day.</summary>
    public (DateTimeOffset Opens, DateTimeOffset Closes)? OpenOn(DateOnly date) =>
        Hours.Days.FirstOrDefault(d => d.Day == date.DayOfWeek) is { } day
            ? (Instant(date.ToDateTime(day.Opens)), Instant(date.ToDateTime(day.Closes)))
            : null;

    /// <summary>Every slot start of <paramref name="date"/> from which <paramref name="duration"/> ends by closing time.</summary>
    public IEnumerable<DateTimeOffset> SlotStarts(DateOnly date, TimeSpan duration)
    {
        if (Hours.Days.FirstOrDefault(d => d.Day == date.DayOfWeek) is not { } day || OpenOn(date) is not { } open)
        {
            yield break;
        }

        var slot = TimeSpan.FromMinutes(Hours.SlotMinutes);
        for (var local = date.ToDateTime(day.Opens); local < date.ToDateTime(day.Closes); local += slot)
        {
            if (Zone.IsInvalidTime(local))
            {
                continue;
            }

            var start = Instant(local);
            if (start + duration <= open.Closes)
            {
                yield return start;
            }
        }
    }

    /// <summary>Whether an appointment from <paramref name="start"/> to <paramref name="end"/> starts on a slot of an open day and ends by closing.</summary>
    public bool IsBookable(DateTimeOffset start, DateTimeOffset end) => SlotStarts(DateOf(start), end - start).Contains(start);

    /// <summary>
    /// The instant of a local time. A time the clocks skip is read as the same distance past the change (02:30 on a
    /// spring-forward night is 03:30); a time that happens twice is its first occurrence.
    /// </summary>
    public DateTimeOffset Instant(DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        var offset = Zone.IsInvalidTime(local) ? Zone.GetUtcOffset(local.AddHours(-3))
            : Zone.IsAmbiguousTime(local) ? Zone.GetAmbiguousTimeOffsets(local).Max()
            : Zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }
}
