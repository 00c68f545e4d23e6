using System.Globalization;
using System.Text.RegularExpressions;
using MedSpa.Members;

namespace MedSpa.Domain.Import;

/// <summary>
/// Reading the cells of a spreadsheet that grew by hand. Dates: ISO <c>2025-03-14</c> (or <c>2025/03/14</c>), US
/// <c>3/14/2025</c> (slashes are always month first), and month names <c>14 Mar 2025</c>, <c>14 March 2025</c>,
/// <c>Mar 14, 2025</c>, <c>March 14 2025</c>. Two-digit years and day-month forms with dots or dashes
/// (<c>14.03.2025</c>, <c>14-03-2025</c>) are refused: they are read differently in different countries.
/// </summary>
public static partial class ImportValues
{
    public const string AcceptedDates = "2025-03-14, 3/14/2025 (month first), 14 Mar 2025 or Mar 14, 2025";

    private static readonly string[] NamedMonthFormats =
    [
        "d MMM yyyy", "d MMMM yyyy", "MMM d yyyy", "MMMM d yyyy", "MMM d, yyyy", "MMMM d, yyyy", "d-MMM-yyyy", "d-MMMM-yyyy",
    ];

    /// <summary>A date in one of the accepted forms; null with <paramref name="problem"/> otherwise.</summary>
    public static DateOnly? Date(string text, out string? problem)
    {
        problem = null;
        var value = WhiteSpace().Replace(text.Trim(), " ");
        if (Iso().Match(value) is { Success: true } iso)
        {
            return Make(iso.Groups["y"].Value, iso.Groups["m"].Value, iso.Groups["d"].Value, value, out problem);
        }

        if (Us().Match(value) is { Success: true } us)
        {
            return Make(us.Groups["y"].Value, us.Groups["m"].Value, us.Groups["d"].Value, value, out problem);
        }

        if (DateOnly.TryParseExact(value, NamedMonthFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var named))
        {
            return named;
        }

        problem = Ambiguous().IsMatch(value)
            ? $"\"{text}\" could be read two ways (a two-digit year, or day and month with dots or dashes). Write it as {AcceptedDates}."
            : $"\"{text}\" is not a date. Write it as {AcceptedDates}.";
        return null;
    }

    private static DateOnly? Make(string year, string month, string day, string text, out string? problem)
    {
        problem = null;
        var (y, m, d) = (int.Parse(year, CultureInfo.InvariantCulture), int.Parse(month, CultureInfo.InvariantCulture), int.Parse(day, CultureInfo.InvariantCulture));
        if (m is >= 1 and <= 12 && y is >= 1900 and <= 2200 && d >= 1 && d <= DateTime.DaysInMonth(y, m))
        {
            return new DateOnly(y, m, d);
        }

        problem = $"\"{text}\" is not a day of the calendar (slashes are read month/day/year). Write it as {AcceptedDates}.";
        return null;
    }

    /// <summary>
    /// An amount of money in minor units: <c>149</c>, <c>149.5</c>, <c>$149.00</c>, <c>$1,149.00</c>, <c>USD 149</c>.
    /// Null for anything else (a negative amount, more than two decimals).
    /// </summary>
    public static long? Money(string text)
    {
        var match = MoneyPattern().Match(text.Trim());
        if (!match.Success)
        {
            return null;
        }

        var digits = match.Groups["whole"].Value.Replace(",", "", StringComparison.Ordinal);
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var whole) || whole > 1_000_000_000)
        {
            return null;
        }

        var cents = match.Groups["cents"].Value.PadRight(2, '0');
        return (whole * 100) + int.Parse(cents, CultureInfo.InvariantCulture);
    }

    /// <summary>A day of the month as written (<c>15</c>, <c>15th</c>, <c>1st</c>); null when it is not a number 1 to 31.</summary>
    public static int? BillingDay(string text)
    {
        var match = DayPattern().Match(text.Trim());
        return match.Success && int.TryParse(match.Groups["day"].Value, CultureInfo.InvariantCulture, out var day) && day is >= 1 and <= 31 ? day : null;
    }

    /// <summary>Active, paused or cancelled (also "canceled"); empty is active. Null for anything else.</summary>
    public static MembershipStatus? Status(string text) => text.Trim().ToLowerInvariant() switch
    {
        "" or "active" => MembershipStatus.Active,
        "paused" or "on hold" => MembershipStatus.Paused,
        "cancelled" or "canceled" => MembershipStatus.Cancelled,
        _ => null,
    };

    [GeneratedRegex(@"^(?<y>\d{4})[-/](?<m>\d{1,2})[-/](?<d>\d{1,2})$")]
    private static partial Regex Iso();

    [GeneratedRegex(@"^(?<m>\d{1,2})/(?<d>\d{1,2})/(?<y>\d{4})$")]
    private static partial Regex Us();

    [GeneratedRegex(@"^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$")]
    private static partial Regex Ambiguous();

    [GeneratedRegex(@"^(?:USD\s*)?\$?\s*(?<whole>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?<cents>\d{1,2}))?$", RegexOptions.IgnoreCase)]
    private static partial Regex MoneyPattern();

    [GeneratedRegex(@"^(?<day>\d{1,2})(?:st|nd|rd|th)?$", RegexOptions.IgnoreCase)]
    private static partial Regex DayPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
