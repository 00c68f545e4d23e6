using MedSpa.Practice;

namespace MedSpa.Domain.Appointments;

/// <summary>What a location's opening hours may be.</summary>
public static class OpeningHoursRules
{
    public const int MaxCapacity = 100;

    public static OpeningHours Require(OpeningHours? hours)
    {
        if (hours?.Days is null)
        {
            throw Reject.Invalid("invalid_opening_hours", "Opening hours list the open weekdays, each with the time it opens and closes.");
        }

        if (hours.SlotMinutes is < 5 or > 240 || 24 * 60 % hours.SlotMinutes != 0)
        {
            throw Reject.Invalid("invalid_slot_length", "A slot is 5 to 240 minutes long and divides the day evenly (5, 10, 15, 20, 30, 60 …).");
        }

        if (hours.Capacity is < 1 or > MaxCapacity)
        {
            throw Reject.Invalid("invalid_capacity", $"Capacity is how many appointments may overlap at once: 1 to {MaxCapacity}.");
        }

        foreach (var day in hours.Days)
        {
            if (day is null || !Enum.IsDefined(day.Day))
            {
                throw Reject.Invalid("invalid_opening_hours", "Each open day names a weekday, monday to sunday.");
            }

            // Appointments never run past midnight, so each day's book holds all of its own appointments.
            if (day.Closes <= day.Opens)
            {
                throw Reject.Invalid("invalid_opening_hours", $"On {day.Day} the location must close after it opens, on the same day.");
            }
        }

        if (hours.Days.GroupBy(d => d.Day).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw Reject.Invalid("invalid_opening_hours", $"{twice.Key} is listed twice; give each weekday once.");
        }

        return hours with { Days = hours.Days.OrderBy(d => ((int)d.Day + 6) % 7).ToArray() };
    }
}
