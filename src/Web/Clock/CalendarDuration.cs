using System.Globalization;
using System.Text.RegularExpressions;

namespace MedSpa.Web.Clock;

/// <summary>
/// An ISO 8601 duration such as <c>P1M</c>, <c>P2W</c> or <c>PT36H</c>. Years and months are calendar steps
/// (31 Jan + P1M = 28 Feb), which is what "advance a month" means to a practice.
/// </summary>
public readonly partial record struct CalendarDuration(int Years, int Months, int Days, TimeSpan Time)
{
    public static bool TryParse(string? text, out CalendarDuration duration)
    {
        duration = default;
        var match = text is null ? Match.Empty : Iso8601().Match(text);
        if (!match.Success || match.Groups.Values.Skip(1).All(g => !g.Success))
        {
            return false;
        }

        if (!TryInt(match.Groups["y"], out var years) || !TryInt(match.Groups["mo"], out var months) ||
            !TryInt(match.Groups["w"], out var weeks) || !TryInt(match.Groups["d"], out var days) ||
            !TryInt(match.Groups["h"], out var hours) || !TryInt(match.Groups["mi"], out var minutes) ||
            !double.TryParse(match.Groups["s"].Success ? match.Groups["s"].Value : "0", NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }

        try
        {
            var time = TimeSpan.FromHours(hours) + TimeSpan.FromMinutes(minutes) + TimeSpan.FromSeconds(seconds);
            duration = new CalendarDuration(years, months, checked((weeks * 7) + days), time);
            return true;
        }
        catch (Exception ex) when (ex is OverflowException or ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    /// <summary>The instant this long after <paramref name="start"/>, or null past the calendar's end.</summary>
    public DateTimeOffset? After(DateTimeOffset start)
    {
        try
        {
            return start.AddYears(Years).AddMonths(Months).AddDays(Days).Add(Time);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static bool TryInt(Group group, out int value)
    {
        value = 0;
        return !group.Success || int.TryParse(group.Value, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    [GeneratedRegex(@"^P(?:(?<y>\d+)Y)?(?:(?<mo>\d+)M)?(?:(?<w>\d+)W)?(?:(?<d>\d+)D)?(?:T(?=\d)(?:(?<h>\d+)H)?(?:(?<mi>\d+)M)?(?:(?<s>\d+(?:\.\d+)?)S)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Iso8601();
}
