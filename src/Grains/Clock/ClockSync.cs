using MedSpa.Clock;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MedSpa.Grains.Clock;

/// <summary>
/// Keeps this silo's <see cref="SimulatedClock"/> on the cluster's offset: adopts it before the web starts serving,
/// applies every advance as it happens, and re-reads it periodically in case a notification was lost.
/// </summary>
public sealed class ClockSync(SimulatedClock clock, IGrainFactory grains, ILogger<ClockSync> logger)
    : BackgroundService, IClockObserver, IClockCatchUp
{
    private static readonly TimeSpan Refresh = TimeSpan.FromMinutes(1);
    private IClockObserver? _self;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _self = grains.CreateObjectReference<IClockObserver>(this);
        await SyncAsync();
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Real time on purpose: this loop must keep running however far the simulated clock jumps.
        using var timer = new PeriodicTimer(Refresh, TimeProvider.System);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SyncAsync();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not refresh the simulated clock; will retry");
            }
        }
    }

    private async Task SyncAsync()
    {
        var clockGrain = grains.GetGrain<IClockGrain>(IClockGrain.Key);
        if (_self is not null)
        {
            await clockGrain.SubscribeAsync(_self);
        }

        clock.MoveTo((await clockGrain.GetAsync()).Offset);
    }

    /// <summary>Re-reads the cluster's offset when this silo is behind <paramref name="instant"/>.</summary>
    public async Task CatchUpAsync(DateTimeOffset instant)
    {
        if (clock.GetUtcNow() < instant)
        {
            await SyncAsync();
        }
    }

    public Task OnOffsetChangedAsync(TimeSpan offset)
    {
        clock.MoveTo(offset);
        return Task.CompletedTask;
    }
}
