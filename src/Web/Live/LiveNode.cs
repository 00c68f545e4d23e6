using MedSpa.Live;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MedSpa.Web.Live;

/// <summary>
/// This web node in the cluster's fan-out: an observer registered with the <see cref="ILiveHubGrain"/>, renewed
/// periodically (so the list survives the loss of the silo holding it, and this node expires there if it dies), that
/// pushes what it is told to its own SignalR clients in the member's and the home location's groups.
/// </summary>
public sealed partial class LiveNode(IGrainFactory grains, IHubContext<LiveHub> hub, IOptions<LiveOptions> options, ILogger<LiveNode> logger)
    : BackgroundService, ILiveNode
{
    /// <summary>How soon a failed renewal is tried again: a node missing from the list misses every push.</summary>
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(2);

    private ILiveNode? _self;
    private bool _subscribed;

    private ILiveHubGrain List => grains.GetGrain<ILiveHubGrain>(ILiveHubGrain.Key);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _self = grains.CreateObjectReference<ILiveNode>(this);
        // Subscribed before the web serves anything, so the first page to watch a member gets every push.
        await RenewAsync();
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_self is not null)
        {
            try
            {
                await List.UnsubscribeAsync(_self);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // It expires by itself.
                LogUnsubscribeFailed(logger, e);
            }

            grains.DeleteObjectReference<ILiveNode>(_self);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Real time on purpose: renewals must keep pace with the list's expiry however the practice clock moves.
            while (true)
            {
                await Task.Delay(_subscribed ? options.Value.NodeRenewal : RetryAfterFailure, TimeProvider.System, stoppingToken);
                await RenewAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    public Task MemberChangedAsync(MemberSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return hub.Clients.Groups(LiveHub.MemberGroup(snapshot.MemberId), LiveHub.LocationGroup(snapshot.HomeLocationId))
            .SendAsync(LiveHub.MemberChanged, snapshot);
    }

    public Task ScheduleChangedAsync(ScheduleChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return hub.Clients.Group(LiveHub.LocationGroup(change.LocationId)).SendAsync(LiveHub.ScheduleChanged, change);
    }

    private async Task RenewAsync()
    {
        try
        {
            await List.SubscribeAsync(_self!);
            _subscribed = true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogRenewalFailed(logger, e);
            _subscribed = false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not subscribe this node to live updates; retrying")]
    private static partial void LogRenewalFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not unsubscribe this node from live updates; it will expire")]
    private static partial void LogUnsubscribeFailed(ILogger logger, Exception exception);
}
