using MedSpa.Practice;
using MedSpa.Reporting;
using MedSpa.Web.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MedSpa.Web.Reporting;

/// <summary>
/// <c>/reports</c>: the owner's figures for a range and a location, each as a chart, a table and the API's CSV. The
/// filters are read exactly as the report API reads them (<see cref="ReportFilters"/>); a refused filter is shown on
/// the page, with the form, instead of the reports.
/// </summary>
[Authorize(Policy = StaffAccess.Admin)]
public sealed class ReportsModel(IGrainFactory grains, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "from")]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true, Name = "to")]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true, Name = "location")]
    public string? Location { get; set; }

    [BindProperty(SupportsGet = true, Name = "by")]
    public string? By { get; set; }

    /// <summary>The locations the user may report on.</summary>
    public IReadOnlyList<Location> Locations { get; private set; } = [];

    /// <summary>Whether "All locations" may be chosen: not by staff limited to some.</summary>
    public bool AllLocations { get; private set; }

    /// <summary>Why the filters were refused; the reports are not shown then.</summary>
    public string? Problem { get; private set; }

    public ReportView? Reports { get; private set; }

    public async Task OnGetAsync()
    {
        var catalogue = await grains.GetGrain<IPracticeGrain>(IPracticeGrain.Key).GetCatalogueAsync();
        Locations = ReportFilters.Visible(catalogue, User);
        AllLocations = StaffAccess.Locations(User).Count == 0;
        if (!AllLocations && string.IsNullOrEmpty(Location))
        {
            // Staff limited to some locations must name one; the page starts them at their first.
            Location = Locations.Count > 0 ? Locations[0].Id : null;
        }

        try
        {
            var query = ReportFilters.Query(catalogue, clock, User, From, To, Location, By);
            From = query.From.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            To = query.To.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            By = query.ByVersion ? "version" : "plan";
            Reports = new ReportView(await ReportSet.LoadAsync(grains.GetGrain<IReportsGrain>(IReportsGrain.Key), query));
        }
        catch (CommandRejectedException refusal)
        {
            Problem = Words(refusal);
            Response.StatusCode = MedSpa.Web.Problems.Problems.StatusFor(refusal.Kind);
        }
    }

    /// <summary>A refusal as the owner reads it on the page (the API's words name its parameters).</summary>
    private static string Words(CommandRejectedException refusal) => refusal.Code switch
    {
        "invalid_range" => "The range starts after it ends: choose a From date on or before the To date.",
        "range_too_long" => $"A report covers at most {ReportFilters.LongestRangeYears} years: choose a shorter range.",
        "invalid_date" => "Dates are written yyyy-MM-dd (for example 2025-01-31).",
        "invalid_group" => "Group tiers by plan or by plan version.",
        "location_required" => "You see some locations only: choose one of them.",
        "location_not_found" => "That location is not one you can report on: choose another.",
        _ => refusal.Message,
    };
}
