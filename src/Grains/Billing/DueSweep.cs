using MedSpa.Billing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MedSpa.Grains.Billing;

/// <summary>
/// The sweep: every minute, each silo asks the billing run to wake whoever is due, paced under the cluster's Stripe
/// budget. With a real clock this is how members are billed on time; it also catches a member whose wake was lost to
/// an outage, a crash mid-charge or a silo that died. Each member's own reminder, set a while after its due instant,
/// is the net under the sweep.
/// </summary>
public sealed class DueSweep(IGrainFactory grains, ILogger<DueSweep> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Real time on purpose: the sweep must keep its pace however the simulated clock jumps.
        using var timer = new PeriodicTimer(Interval, TimeProvider.System);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var report = await grains.GetGrain<IBillingRunGrain>(IBillingRunGrain.Key).SweepAsync();
                if (report.Woken > 0)
                {
                    logger.LogInformation("Billing sweep woke {Woken} due members ({Failed} failed)", report.Woken, report.Failed);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Billing sweep failed; the next one will try again");
            }
        }
    }
}
