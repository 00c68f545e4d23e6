using MedSpa.Live;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Utilities;

namespace MedSpa.Grains.Live;

/// <summary>
/// The web nodes of the cluster, in memory: each node renews its subscription periodically, so a list lost with its
/// silo is rebuilt within one renewal, and a node that died without saying so expires. Every call to a node is
/// one-way, so a publish is one short turn however many nodes there are and however slow they are; not reentrant, so
/// a subscription never changes the list while a publish walks it.
/// </summary>
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
