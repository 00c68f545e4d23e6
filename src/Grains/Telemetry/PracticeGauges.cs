using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MedSpa.Grains.Telemetry;

/// <summary>
/// Reads the gauges of <see cref="MedSpaMetrics"/> from PostgreSQL every 30 s: members past due and suspended (from the
/// reporting projection, so every silo reports the cluster's count, not its own grains'), and billing work already
/// due (the due index) at the practice's clock.
/// </summary>
public sealed class PracticeGauges(NpgsqlDataSource database, MedSpaMetrics metrics, TimeProvider clock, ILogger<PracticeGauges> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Real time on purpose: the pace must not depend on how the simulated clock jumps.
        using var timer = new PeriodicTimer(Interval, TimeProvider.System);
        do
        {
            try
            {
                await ReadAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not read the practice's gauges; the next tick will try again");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task ReadAsync(CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand("""
            SELECT (SELECT count(*) FROM report_members WHERE status = 'past_due'),
                   (SELECT count(*) FROM report_members WHERE status = 'suspended'),
                   (SELECT count(*) FROM member_due WHERE due_at <= $1)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow().ToUniversalTime() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        metrics.Observed(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }
}

public static class TelemetryRegistration
{
    /// <summary>The practice's metrics; their gauges are read from PostgreSQL when there is one.</summary>
    public static IServiceCollection AddMedSpaMetrics(this IServiceCollection services, bool postgres)
    {
        services.AddSingleton<MedSpaMetrics>();
        if (postgres)
        {
            services.AddHostedService<PracticeGauges>();
        }

        return services;
    }
}
