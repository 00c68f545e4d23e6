using System.Globalization;
using System.Security.Claims;
using MedSpa.Practice;
using MedSpa.Reporting;
using MedSpa.Web.Access;

namespace MedSpa.Web.Reporting;

/// <summary>
/// The one reading of a report's filters (<c>from</c>, <c>to</c>, <c>location</c>, <c>by</c>) into a
/// <see cref="ReportQuery"/>, for the API and the <c>/reports</c> page alike, so both default and refuse the same way.
/// A refusal is a <see cref="CommandRejectedException"/>: the API answers it as problem details, the page shows it.
/// </summary>
internal static class ReportFilters
{
    public const int LongestRangeYears = 10;

    /// <summary>Today in the practice's first location's zone (UTC when it has none), the default end of a report.</summary>
    public static DateOnly Today(PracticeCatalogue catalogue, TimeProvider clock)
    {
        var zone = catalogue.Locations is [var first, ..] ? TimeZoneInfo.FindSystemTimeZoneById(first.TimeZone) : TimeZoneInfo.Utc;
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime);
    }

    /// <summary>
    /// The range, location and grouping asked for. Dates default to the twelve calendar months ending today; the
    /// location is read by <see cref="Location"/>.
    /// </summary>
    public static ReportQuery Query(PracticeCatalogue catalogue, TimeProvider clock, ClaimsPrincipal user, string? from, string? to, string? location, string? by)
    {
        var end = DateOf(to, "to") ?? Today(catalogue, clock);
        var start = DateOf(from, "from") ?? new DateOnly(end.Year, end.Month, 1).AddMonths(-11);
        if (start > end)
        {
            throw new CommandRejectedException(RejectionKind.Invalid, "invalid_range", "from must not be after to.");
        }

        if (start < end.AddYears(-LongestRangeYears))
        {
            throw new CommandRejectedException(RejectionKind.Invalid, "range_too_long", $"A report covers at most {LongestRangeYears} years.");
        }

        var grouping = string.IsNullOrEmpty(by) ? "plan" : by;
        if (grouping is not ("plan" or "version"))
        {
            throw new CommandRejectedException(RejectionKind.Invalid, "invalid_group", "by is plan or version.");
        }

        return new ReportQuery(start, end, Location(catalogue, user, location), grouping == "version");
    }

    /// <summary>
    /// The location asked for, or null for all. Staff limited to some locations must name one of theirs, and a
    /// location they may not see is one that does not exist.
    /// </summary>
    public static string? Location(PracticeCatalogue catalogue, ClaimsPrincipal user, string? location)
    {
        var place = string.IsNullOrEmpty(location) ? null : location;
        if (place is null && StaffAccess.Locations(user).Count > 0)
        {
            throw new CommandRejectedException(RejectionKind.Invalid, "location_required", "You see some locations only: name one of them with location=.");
        }

        if (place is not null && !Visible(catalogue, user).Any(l => l.Id == place))
        {
            throw new CommandRejectedException(RejectionKind.NotFound, "location_not_found", $"There is no location {place}.");
        }

        return place;
    }

    /// <summary>The practice's locations <paramref name="user"/> may report on.</summary>
    public static IReadOnlyList<Location> Visible(PracticeCatalogue catalogue, ClaimsPrincipal user) =>
        [.. catalogue.Locations.Where(l => StaffAccess.MaySee(user, l.Id))];

    /// <summary>The query string that asks the API for <paramref name="query"/> (without the leading <c>?</c>).</summary>
    public static string QueryString(ReportQuery query)
    {
        var parts = new List<string>
        {
            $"from={query.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}",
            $"to={query.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}",
        };
        if (query.LocationId is { } location)
        {
            parts.Add($"location={Uri.EscapeDataString(location)}");
        }

        parts.Add(query.ByVersion ? "by=version" : "by=plan");
        return string.Join('&', parts);
    }

    private static DateOnly? DateOf(string? text, string name) =>
        string.IsNullOrEmpty(text) ? null
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day
        : throw new CommandRejectedException(RejectionKind.Invalid, "invalid_date", $"{name} must be a date written yyyy-MM-dd.");
}
