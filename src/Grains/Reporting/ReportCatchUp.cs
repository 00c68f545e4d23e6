using MedSpa.Reporting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MedSpa.Grains.Reporting;

/// <summary>
/// Keeps the projection close to the log between report requests (each request catches up too), so a request after a
/// busy billing day folds seconds of events, not the whole day's.
/// </summary>
public sealed class ReportCatchUp(IGrainFactory grains, IOptions<ReportingOptions> options, ILogger<ReportCatchUp> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Real time on purpose: the pace must not depend on how the simulated clock jumps.
        using var timer = new PeriodicTimer(options.Value.CatchUpEvery, TimeProvider.System);
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

/// <summary>Configuration section <c>Reporting</c>.</summary>
public sealed class ReportingOptions
{
    public const string Section = "Reporting";

    /// <summary>How often each silo folds new events into the projection between report requests (default 30 s).</summary>
    public TimeSpan CatchUpEvery { get; set; } = TimeSpan.FromSeconds(30);
}

public static class ReportingRegistration
{
    /// <summary>The projection over PostgreSQL's member log, and the timer that keeps it current.</summary>
    public static IServiceCollection AddReporting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReportingOptions>().Bind(configuration.GetSection(ReportingOptions.Section))
            .Validate(o => o.CatchUpEvery > TimeSpan.Zero, "Reporting:CatchUpEvery must be positive.").ValidateOnStart();
        services.AddSingleton<ReportProjector>();
        services.AddSingleton<ReportReader>();
        services.AddHostedService<ReportCatchUp>();
        return services;
    }
}
