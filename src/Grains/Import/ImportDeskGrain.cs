using MedSpa.Domain.Billing;
using MedSpa.Domain.Import;
using MedSpa.Import;
using MedSpa.Plans;
using MedSpa.Practice;
using Orleans.Concurrency;

namespace MedSpa.Grains.Import;

[StatelessWorker]
public sealed class ImportDeskGrain(TimeProvider clock) : Grain, IImportDeskGrain
{
    public async Task<string> GetTemplateAsync()
    {
        var plans = (await GrainFactory.GetGrain<IPlanDirectoryGrain>(IPlanDirectoryGrain.Key).ListAsync()).Select(p => p.Current).ToList();
        var locations = (await GrainFactory.GetGrain<IPracticeGrain>(IPracticeGrain.Key).GetCatalogueAsync()).Locations;
        var zone = locations.Count > 0 ? TimeZoneInfo.FindSystemTimeZoneById(locations[0].TimeZone) : TimeZoneInfo.Utc;
        return ImportTemplate.Write(plans, locations, BillingCalendar.LocalDate(clock.GetUtcNow(), zone));
    }

    public Task<ImportReport> DryRunAsync(string csv, string? fileName)
    {
        ArgumentNullException.ThrowIfNull(csv);
        return GrainFactory.GetGrain<IImportGrain>(ImportTemplate.IdFor(csv)).DryRunAsync(csv, fileName);
    }
}
