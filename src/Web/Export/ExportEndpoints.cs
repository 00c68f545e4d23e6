using System.Text;
using MedSpa.Export;
using MedSpa.Practice;
using MedSpa.Web.Access;
using MedSpa.Web.Reporting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MedSpa.Web.Export;

/// <summary>
/// <c>/api/v1/exports</c>: the practice's own records as CSV, for the owner to keep (issue 9): every client, every
/// membership, every ledger line. <c>location</c> narrows them to the clients homed there, read as the reports read it.
/// The files are written as they are read, a page of clients at a time, so their size is bounded by nothing but the
/// practice.
/// </summary>
public static class ExportEndpoints
{
    public static RouteGroupBuilder MapExports(this RouteGroupBuilder api)
    {
        var exports = api.MapGroup("/exports").WithTags("Exports").RequireAuthorization(StaffAccess.Admin);

        exports.MapGet("/members.csv", (HttpContext http, IGrainFactory grains, TimeProvider clock) =>
                StreamAsync(http, grains, clock, "members", (export, request) => export.GetMembersAsync(request)))
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .WithSummary("One line per client: name, contact, home location, when and by whom registered, membership status and plan.");

        exports.MapGet("/memberships.csv", (HttpContext http, IGrainFactory grains, TimeProvider clock) =>
                StreamAsync(http, grains, clock, "memberships", (export, request) => export.GetMembershipsAsync(request)))
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .WithSummary("One line per enrolled client: plan and version, price (minor units), billing calendar, term, pause, cancellation, card on file.");

        exports.MapGet("/ledger.csv", (HttpContext http, IGrainFactory grains, TimeProvider clock) =>
                StreamAsync(http, grains, clock, "ledger", (export, request) => export.GetLedgerAsync(request)))
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .WithSummary("Every credit ledger line of every client: when, benefit, lot, kind, signed quantity, balance after, reason.");

        return api;
    }

    private static async Task StreamAsync<T>(
        HttpContext http, IGrainFactory grains, TimeProvider clock, string name, Func<IExportGrain, ExportRequest, Task<ExportPage<T>>> read)
    {
        var catalogue = await grains.GetGrain<IPracticeGrain>(IPracticeGrain.Key).GetCatalogueAsync();
        var location = ReportFilters.Location(catalogue, http.User, http.Request.Query["location"].ToString());
        var export = grains.GetGrain<IExportGrain>(IExportGrain.Key);

        // The first page is read before anything is sent, so a refusal (a silo without PostgreSQL) is still answered as
        // problem details; a failure after it cuts the response off, never ends it as if the file were whole.
        var first = await read(export, new ExportRequest(null, location));
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}-{ReportFilters.Today(catalogue, clock):yyyy-MM-dd}.csv\"";
        await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), leaveOpen: true);
        await ReportCsv.WriteAsync(writer, PagesAsync(), http.RequestAborted);

        async IAsyncEnumerable<IReadOnlyList<T>> PagesAsync()
        {
            for (var page = first; ;)
            {
                // The next page is read while this one is written: one call in flight, at most two pages held.
                var next = page.Next is { } after ? read(export, new ExportRequest(after, location)) : null;
                yield return page.Rows;
                if (next is null)
                {
                    yield break;
                }

                page = await next;
            }
        }
    }
}
