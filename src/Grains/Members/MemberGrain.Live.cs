using MedSpa.Domain.Live;
using MedSpa.Live;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MedSpa.Grains.Members;

/// <summary>
/// The member's side of live updates: after a change a dashboard would show (a balance, an expiry, the status), the
/// snapshot goes to every web node through the hub-list grain. It is fire-and-forget on purpose: the command has
/// already been recorded and answered for, and neither the catalogue read nor the fan-out may delay or fail it.
/// </summary>
public sealed partial class MemberGrain : ILiveMemberGrain
{
    public async Task<MemberSnapshot> GetSnapshotAsync()
    {
        Member.RequireProfile();
        var catalogue = await Practice.GetCatalogueAsync();
        return MemberSnapshots.Of(Id, Version, Member, catalogue.Services, Now)!;
    }

    /// <summary>Called with the member as it was before what was just recorded.</summary>
    private void PublishLive(Domain.Members.Member before)
    {
        var (after, version, now) = (Member, Version, Now);
        if (MemberSnapshots.Differ(before, after, now))
        {
            _ = PublishLiveAsync(after, version, now);
        }
    }

    private async Task PublishLiveAsync(Domain.Members.Member member, long version, DateTimeOffset now)
    {
        try
        {
            var catalogue = await Practice.GetCatalogueAsync();
            if (MemberSnapshots.Of(Id, version, member, catalogue.Services, now) is { } snapshot)
            {
                await GrainFactory.GetGrain<ILiveHubGrain>(ILiveHubGrain.Key).PublishMemberChangedAsync(snapshot);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A dashboard misses one push and catches up on its next reconnect or change; the member is unaffected.
            LogLivePublishFailed(ServiceProvider.GetRequiredService<ILogger<MemberGrain>>(), e, Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish the live snapshot of {MemberId}")]
    private static partial void LogLivePublishFailed(ILogger logger, Exception exception, string memberId);
}
