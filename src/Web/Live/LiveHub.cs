using MedSpa.Live;
using MedSpa.Practice;
using MedSpa.Web.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace MedSpa.Web.Live;

/// <summary>
/// <c>/hubs/live</c>, for staff only: a page watches members and locations, and is pushed <c>memberChanged</c>
/// (a <see cref="MemberSnapshot"/>) and <c>scheduleChanged</c> (a <see cref="ScheduleChange"/>) for them, whichever
/// silo hosts the member and whichever node the page is connected to. Watching answers the current snapshot, so a page
/// that connects or reconnects catches up on what it missed.
/// </summary>
[Authorize(Policy = StaffAccess.Staff)]
public sealed class LiveHub(IGrainFactory grains) : Hub
{
    public const string Path = "/hubs/live";

    public const string MemberChanged = "memberChanged";

    public const string ScheduleChanged = "scheduleChanged";

    public static string MemberGroup(string memberId) => $"member:{memberId}";

    public static string LocationGroup(string locationId) => $"location:{locationId}";

    /// <summary>Pushes on this member from now on, and the member as they are now.</summary>
    public async Task<MemberSnapshot> WatchMember(string memberId)
    {
        // Anything that is not a member id never reaches (and activates) a member grain.
        if (memberId is not { Length: > 4 and <= 64 } || !memberId.StartsWith("mem_", StringComparison.Ordinal))
        {
            throw new HubException("member_not_found: There is no client with this id.");
        }

        // Joined before reading: a change recorded in between arrives as a push, never falls between the two.
        await Groups.AddToGroupAsync(Context.ConnectionId, MemberGroup(memberId));
        try
        {
            var snapshot = await grains.GetGrain<ILiveMemberGrain>(memberId).GetSnapshotAsync();
            // Staff limited to some locations watch only those locations' members, as the API and pages show them.
            return StaffAccess.MaySee(Context.User!, snapshot.HomeLocationId)
                ? snapshot
                : throw new CommandRejectedException(RejectionKind.NotFound, "member_not_found", "There is no client with this id.");
        }
        catch (CommandRejectedException rejected)
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, MemberGroup(memberId));
            throw new HubException($"{rejected.Code}: {rejected.Message}");
        }
    }

    public Task UnwatchMember(string memberId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, MemberGroup(memberId));

    /// <summary>Pushes on the members whose home is this location, and on its schedule.</summary>
    public async Task WatchLocation(string locationId)
    {
        var catalogue = await grains.GetGrain<IPracticeGrain>(IPracticeGrain.Key).GetCatalogueAsync();
        if (!catalogue.Locations.Any(l => l.Id == locationId) || !StaffAccess.MaySee(Context.User!, locationId))
        {
            throw new HubException("location_not_found: There is no location with this id.");
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, LocationGroup(locationId));
    }

    public Task UnwatchLocation(string locationId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, LocationGroup(locationId));
}
