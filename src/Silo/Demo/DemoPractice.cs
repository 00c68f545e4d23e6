using MedSpa.Practice;

namespace MedSpa.Silo.Demo;

/// <summary>
/// <c>Demo:Seed=true</c> gives a fresh deployment a practice to explore: two locations in different time zones
/// and a treatment menu. It seeds only an empty practice, so a second run keeps the first run's data as it is.
/// </summary>
public sealed class DemoPractice(IGrainFactory grains, ILogger<DemoPractice> logger) : IHostedService
{
    public const string Setting = "Demo:Seed";

    private static readonly NewLocation[] Locations =
    [
        new("Lumière Downtown", "America/New_York", "200 Park Avenue South, New York, NY"),
        new("Lumière Bayside", "America/Los_Angeles", "1 Ferry Building, San Francisco, CA"),
    ];

    private static readonly NewService[] Services =
    [
        new("Neurotoxin (up to 20 units)", "neurotoxin", Usd(30_000), 30),
        new("Dermal filler (1 syringe)", "filler", Usd(65_000), 45),
        new("HydraFacial", "facial", Usd(19_900), 60),
        new("Chemical peel", "facial", Usd(15_000), 45),
        new("Microneedling", "skin", Usd(35_000), 60),
        new("Laser hair removal (small area)", "laser", Usd(12_500), 20),
        new("IPL photofacial", "laser", Usd(40_000), 45),
        new("Skincare retail", "retail", Usd(8_500), 5),
    ];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var practice = grains.GetGrain<IPracticeGrain>(IPracticeGrain.Key);
        var catalogue = await practice.GetCatalogueAsync();
        if (catalogue.Locations.Count > 0 || catalogue.Services.Count > 0)
        {
            logger.LogInformation("Demo practice already present; seeding nothing");
            return;
        }

        foreach (var location in Locations)
        {
            await practice.AddLocationAsync(location);
        }

        foreach (var service in Services)
        {
            await practice.AddServiceAsync(service);
        }

        logger.LogInformation("Seeded the demo practice: {Locations} locations, {Services} services", Locations.Length, Services.Length);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static Money Usd(long cents) => new(cents, "usd");
}
