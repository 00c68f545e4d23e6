using MedSpa.Live;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Utilities;

namespace MedSpa.Grains.Live;

/// <summary>
/// The web nodes of the cluster, in memory: each node renews its subscription periodically, so a list lost with its
/// silo is rebuilt within one renewal, and a node that died without saying so expires. Reentrant because nothing
/// here awaits anything but one-way calls: a burst of changes is fanned out as fast as it arrives.
/// </summary>
[Reentrant]
public sealed class LiveHubGrain(IOptions<LiveOptions> options, ILogger<LiveHubGrain> logger) : Grain, ILiveHubGrain
{
    // Expiry runs on real time (the manager's own clock), like the clock grain's list of silos: a simulated clock
    // moved a month ahead must not expire every node at once.
    private readonly ObserverManager<ILiveNode> _nodes = new(options.Value.NodeExpiry, logger);

    public Task SubscribeAsync(ILiveNode node)
    {
        _nodes.Subscribe(node, node);
        return Task.CompletedTask;
    }

    public Task UnsubscribeAsync(ILiveNode node)
    {
        _nodes.Unsubscribe(node);
        return Task.CompletedTask;
    }

    public Task PublishMemberChangedAsync(MemberSnapshot snapshot) => _nodes.Notify(node => node.MemberChangedAsync(snapshot));

    public Task PublishScheduleChangedAsync(ScheduleChange change) => _nodes.Notify(node => node.ScheduleChangedAsync(change));
}
