using Orleans.Concurrency;

namespace MedSpa.Live;

/// <summary>
/// The cluster's list of web nodes (key <see cref="Key"/>) and the fan-out to them. Publishing is one-way at every
/// hop, so whoever announces a change (a member grain in the middle of a command, the schedule) never waits for, or
/// fails with, a node that is slow or gone.
/// </summary>
public interface ILiveHubGrain : IGrainWithStringKey
{
    /// <summary>The single list of the deployment.</summary>
    const string Key = "live";

    /// <summary>Adds or renews a node; a node that stops renewing expires (<see cref="LiveOptions.NodeExpiry"/>).</summary>
    Task SubscribeAsync(ILiveNode node);

    Task UnsubscribeAsync(ILiveNode node);

    /// <summary>Tells every node that a member changed.</summary>
    [OneWay]
    Task PublishMemberChangedAsync(MemberSnapshot snapshot);

    /// <summary>Tells every node that the schedule of a location changed on a date, for the pages showing it.</summary>
    [OneWay]
    Task PublishScheduleChangedAsync(ScheduleChange change);
}

/// <summary>A web node: pushes what it is told to its own SignalR clients.</summary>
public interface ILiveNode : IGrainObserver
{
    [OneWay]
    Task MemberChangedAsync(MemberSnapshot snapshot);

    [OneWay]
    Task ScheduleChangedAsync(ScheduleChange change);
}

/// <summary>The live face of a member grain (same key, <c>mem_…</c>): what a dashboard that just opened should show.</summary>
public interface ILiveMemberGrain : IGrainWithStringKey
{
    /// <summary>The member's snapshot now. 404 <c>member_not_found</c> for an unknown id.</summary>
    Task<MemberSnapshot> GetSnapshotAsync();
}
