using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MedSpa.Grains.Billing;

/// <summary>
/// Tells this silo's <see cref="StripeThrottle"/> how many silos share the cluster's Stripe budget, from Orleans'
/// own membership view: a silo that joins or dies changes every silo's share within a membership update.
/// </summary>
public sealed class StripeBudgetShare(IClusterMembershipService membership, StripeThrottle throttle, ILogger<StripeBudgetShare> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Apply(membership.CurrentSnapshot);
        await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
        {
            Apply(snapshot);
        }
    }

    private void Apply(ClusterMembershipSnapshot snapshot)
    {
        var active = snapshot.Members.Values.Count(m => m.Status == SiloStatus.Active);
        if (active > 0 && active != throttle.Silos)
        {
            throttle.ShareWith(active);
            logger.LogInformation("{Silos} silos share the Stripe budget; this one spends {Cost} tokens a call", active, throttle.CostPerCall);
        }
    }
}
