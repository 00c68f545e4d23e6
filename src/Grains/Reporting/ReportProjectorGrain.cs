using MedSpa.Domain;
using MedSpa.Practice;
using MedSpa.Reporting;
using Microsoft.Extensions.Logging;

namespace MedSpa.Grains.Reporting;

/// <summary>One per deployment, so catch-ups queue rather than contend for the checkpoint's lock.</summary>
public sealed class ReportProjectorGrain(ILogger<ReportProjectorGrain> logger, ReportProjector? projector = null) : Grain, IReportProjectorGrain
{
    public Task<ProjectionRun> CatchUpAsync() => RunAsync(rebuild: false);

    public async Task<ProjectionRun> RebuildAsync()
    {
        var run = await RunAsync(rebuild: true);
        logger.LogInformation("Reporting projection rebuilt from the log: {Members} clients, {Events} events", run.Members, run.Events);
        return run;
    }

    private async Task<ProjectionRun> RunAsync(bool rebuild)
    {
        var store = projector ?? throw Reject.Unavailable("reports_need_postgres", "Reports are folded from the event log in PostgreSQL; this silo keeps its data in memory.");

        // A client who never enrolled is dated in their home location's zone; enrolments carry their own.
        var catalogue = await GrainFactory.GetGrain<IPracticeGrain>(IPracticeGrain.Key).GetCatalogueAsync();
        var zones = catalogue.Locations.ToDictionary(l => l.Id, l => TimeZoneInfo.FindSystemTimeZoneById(l.TimeZone), StringComparer.Ordinal);
        return await store.RunAsync(rebuild, id => zones.GetValueOrDefault(id));
    }
}
