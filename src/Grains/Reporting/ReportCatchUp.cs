using MedSpa.Reporting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MedSpa.Grains.Reporting;

/// <summary>
/// Keeps the projection close to the log between report requests (each request catches up too), so a request after a
/// busy billing day folds seconds of events, not the whole day's.
/// </summary>
public sealed class ReportCatchUp(IGrainFactory grains, ILogger<ReportCatchUp> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Real time on purpose: the pace must not depend on how the simulated clock jumps.
        using var timer = new PeriodicTimer(Interval, TimeProvider.System);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await grains.GetGrain<IReportProjectorGrain>(IReportProjectorGrain.Key).CatchUpAsync();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not bring the reporting projection up to date; the next run will");
            }
        }
    }
}

public static class ReportingRegistration
{
    /// <summary>The projection over PostgreSQL's member log, and the timer that keeps it current.</summary>
    public static IServiceCollection AddReporting(this IServiceCollection services)
    {
        services.AddSingleton<ReportProjector>();
        services.AddSingleton<ReportReader>();
        services.AddHostedService<ReportCatchUp>();
        return services;
    }
}
