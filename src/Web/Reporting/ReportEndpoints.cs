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

    /// <summary>The filters of the request, read as the page reads them (<see cref="ReportFilters"/>).</summary>
    private static async Task<ReportQuery> QueryOfAsync(HttpContext http, IGrainFactory grains, TimeProvider clock)
    {
        var request = http.Request.Query;
        var catalogue = await grains.GetGrain<IPracticeGrain>(IPracticeGrain.Key).GetCatalogueAsync();
        return ReportFilters.Query(catalogue, clock, http.User, request["from"].ToString(), request["to"].ToString(), request["location"].ToString(), request["by"].ToString());
    }
}
