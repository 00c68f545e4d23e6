using System.Globalization;
using MedSpa.Practice;
using MedSpa.Reporting;
using MedSpa.Web.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MedSpa.Web.Reporting;

/// <summary>
/// <c>/api/v1/reports</c>: the owner's figures, as JSON or (<c>?format=csv</c>) as the report's table in CSV. Every report
/// takes <c>from</c> and <c>to</c> (local dates, by default the twelve months to today), <c>location</c> and
/// <c>by=plan|version</c>.
/// </summary>
public static class ReportEndpoints
{
    private const int LongestRangeYears = 10;

    public static RouteGroupBuilder MapReports(this RouteGroupBuilder api)
    {
        var reports = api.MapGroup("/reports").WithTags("Reports").RequireAuthorization(StaffAccess.Admin);

        reports.MapGet("/mrr", (HttpContext http, IGrainFactory grains, TimeProvider clock) =>
                AnswerAsync(http, grains, clock, async (g, q) => await g.GetMrrAsync(q), ("months", r => ReportCsv.Write(r.Months))))
            .WithSummary("Monthly recurring revenue per tier at each month's end: active, paying memberships at their own price.");

        reports.MapGet("/active-members", (HttpContext http, IGrainFactory grains, TimeProvider clock) =>
                AnswerAsync(http, grains, clock, async (g, q) => await g.GetActiveMembersAsync(q), ("months", r => ReportCsv.Write(r.Months))))
            .WithSummary("Memberships per tier and state at each month's end, with those that joined, came back, paused, were suspended and ended.");

        reports.MapGet("/churn", (HttpContext http, IGrainFactory grains, TimeProvider clock) =>
                AnswerAsync(http, grains, clock, async (g, q) => await g.GetChurnAsync(q), ("months", r => ReportCsv.Write(r.Months)), ("reasons", r => ReportCsv.Write(r.Reasons))))
            .WithSummary("Voluntary and involuntary churn per month, and the reasons given (CSV: table=months or reasons).");

        reports.MapGet("/credit-utilisation", (HttpContext http, IGrainFactory grains, TimeProvider clock) =>
                AnswerAsync(http, grains, clock, async (g, q) => await g.GetCreditUtilisationAsync(q), ("months", r => ReportCsv.Write(r.Months))))
            .WithSummary("Credits allocated, redeemed, expired and open per tier and month, units and dollar credits apart.");

        reports.MapGet("/revenue-per-client", (HttpContext http, IGrainFactory grains, TimeProvider clock) =>
                AnswerAsync(http, grains, clock, async (g, q) => await g.GetRevenuePerClientAsync(q), ("months", r => ReportCsv.Write(r.Months))))
            .WithSummary("Revenue per paying member against per paying non-member client, by treatment type and month.");

        reports.MapGet("/tier-migration", (HttpContext http, IGrainFactory grains, TimeProvider clock) =>
                AnswerAsync(http, grains, clock, async (g, q) => await g.GetTierMigrationAsync(q), ("moves", r => ReportCsv.Write(r.Moves))))
            .WithSummary("Upgrades and downgrades between tiers in the range, as the cells of a from/to matrix.");

        reports.MapGet("/liability", (HttpContext http, IGrainFactory grains, TimeProvider clock) =>
                AnswerAsync(http, grains, clock, async (g, q) => await g.GetLiabilityAsync(q), ("months", r => ReportCsv.Write(r.Months))))
            .WithSummary("Open credits valued at list price and deferred membership revenue, per tier at each month's end.");

        reports.MapGet("/at-risk", (HttpContext http, IGrainFactory grains, TimeProvider clock) =>
                AnswerAsync(http, grains, clock, async (g, q) => await g.GetAtRiskAsync(q), ("members", r => ReportCsv.Write(r.Members))))
            .WithSummary("Live members with falling visits, untouched credits about to expire, or a card expiring, as of the range's end.");

        reports.MapPost("/rebuild", (IGrainFactory grains) => grains.GetGrain<IReportProjectorGrain>(IReportProjectorGrain.Key).RebuildAsync())
            .WithSummary("Throws the reporting projection away and folds the whole event log again; the old figures stay readable until it is done.");

        return api;
    }

    /// <summary>The report as JSON, or one of its tables (the first by default, another by <c>table=</c>) as CSV.</summary>
    private static async Task<IResult> AnswerAsync<TReport>(
        HttpContext http, IGrainFactory grains, TimeProvider clock, Func<IReportsGrain, ReportQuery, Task<TReport>> report,
        params (string Name, Func<TReport, string> Csv)[] tables)
    {
        var request = http.Request.Query;
        var format = request["format"].ToString() is { Length: > 0 } f ? f : "json";
        if (format is not ("json" or "csv"))
        {
            throw new CommandRejectedException(RejectionKind.Invalid, "invalid_format", "format is json or csv.");
        }

        var tableName = request["table"].ToString() is { Length: > 0 } t ? t : tables[0].Name;
        var table = tables.FirstOrDefault(x => x.Name == tableName);
        if (table.Csv is null)
        {
            throw new CommandRejectedException(RejectionKind.Invalid, "invalid_table",
                $"This report's tables are {string.Join(", ", tables.Select(x => x.Name))}.");
        }

        var query = await QueryOfAsync(http, grains, clock);
        var answer = await report(grains.GetGrain<IReportsGrain>(IReportsGrain.Key), query);
        if (format == "json")
        {
            return Results.Ok(answer);
        }

        var path = http.Request.Path.Value ?? "report";
        var reportName = path[(path.LastIndexOf('/') + 1)..];
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{reportName}-{tableName}-{query.From:yyyy-MM-dd}-{query.To:yyyy-MM-dd}.csv\"";
        return Results.Text(table.Csv(answer), "text/csv; charset=utf-8", System.Text.Encoding.UTF8);
    }

    /// <summary>
    /// The range, location and grouping asked for. Dates default to the twelve calendar months ending today (in the
    /// practice's first location's zone); staff limited to some locations must name one of theirs.
    /// </summary>
    private static async Task<ReportQuery> QueryOfAsync(HttpContext http, IGrainFactory grains, TimeProvider clock)
    {
        var request = http.Request.Query;
        var catalogue = await grains.GetGrain<IPracticeGrain>(IPracticeGrain.Key).GetCatalogueAsync();
        var zone = catalogue.Locations is [var first, ..] ? TimeZoneInfo.FindSystemTimeZoneById(first.TimeZone) : TimeZoneInfo.Utc;
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime);

        var to = DateOf(request["to"].ToString(), "to") ?? today;
        var from = DateOf(request["from"].ToString(), "from") ?? new DateOnly(to.Year, to.Month, 1).AddMonths(-11);
        if (from > to)
        {
            throw new CommandRejectedException(RejectionKind.Invalid, "invalid_range", "from must not be after to.");
        }

        if (from < to.AddYears(-LongestRangeYears))
        {
            throw new CommandRejectedException(RejectionKind.Invalid, "range_too_long", $"A report covers at most {LongestRangeYears} years.");
        }

        var by = request["by"].ToString() is { Length: > 0 } b ? b : "plan";
        if (by is not ("plan" or "version"))
        {
            throw new CommandRejectedException(RejectionKind.Invalid, "invalid_group", "by is plan or version.");
        }

        var location = request["location"].ToString() is { Length: > 0 } l ? l : null;
        var limited = StaffAccess.Locations(http.User);
        if (location is null && limited.Count > 0)
        {
            throw new CommandRejectedException(RejectionKind.Invalid, "location_required", "You see some locations only: name one of them with location=.");
        }

        if (location is not null && (!catalogue.Locations.Any(x => x.Id == location) || !StaffAccess.MaySee(http.User, location)))
        {
            throw new CommandRejectedException(RejectionKind.NotFound, "location_not_found", $"There is no location {location}.");
        }

        return new ReportQuery(from, to, location, by == "version");
    }

    private static DateOnly? DateOf(string text, string name) =>
        text.Length == 0 ? null
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day
        : throw new CommandRejectedException(RejectionKind.Invalid, "invalid_date", $"{name} must be a date written yyyy-MM-dd.");
}
