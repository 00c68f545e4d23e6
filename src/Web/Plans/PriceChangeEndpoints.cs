using MedSpa.Members;
using MedSpa.Plans;
using MedSpa.Web.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MedSpa.Web.Plans;

/// <summary><c>/api/v1/plans/{id}/price-changes</c>: scheduling a price increase, telling members, and who has not confirmed.</summary>
public static class PriceChangeEndpoints
{
    /// <summary>Members told at once; enough to keep a large roster quick without flooding the silo.</summary>
    private const int Parallelism = 8;

    public static RouteGroupBuilder MapPriceChanges(this RouteGroupBuilder api)
    {
        var changes = api.MapGroup("/plans/{id}/price-changes").WithTags("Plans");

        changes.MapPost("", async (string id, PriceChangeRequest request, IGrainFactory grains, CancellationToken cancellationToken) =>
        {
            var change = await grains.GetGrain<IPlanGrain>(id).SchedulePriceChangeAsync(request);
            // Not inside the plan grain: a member enrolling asks the plan grain for its terms, and a plan grain waiting on
            // that member in turn would deadlock. Repeating the request re-runs this; members told already record nothing.
            var notice = new PriceIncreaseNotice(change.ChangeId, change.PlanId, change.NewPrice, change.NoticeDays);
            var members = await grains.GetGrain<IPlanRosterGrain>(id).GetMembersAsync();
            var notified = 0;
            await Parallel.ForEachAsync(members, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (memberId, _) =>
            {
                if (await grains.GetGrain<IMemberGrain>(memberId).NotifyPriceIncreaseAsync(notice) is not null)
                {
                    Interlocked.Increment(ref notified);
                }
            });
            return new PriceChangeFanOut(change, members.Length, notified);
        }).RequireAuthorization(StaffAccess.Admin)
            .WithSummary("Schedules a price increase and tells every member of the plan; it applies to each from their first billing date after the notice period, once they confirm. Repeating the same request (same changeId) finishes telling members.");

        changes.MapGet("", (string id, IGrainFactory grains) => grains.GetGrain<IPlanGrain>(id).GetPriceChangesAsync())
            .WithSummary("The plan's scheduled price increases, oldest first.");

        changes.MapGet("/{changeId}/unconfirmed", async (string id, string changeId, IGrainFactory grains) =>
        {
            var scheduled = await grains.GetGrain<IPlanGrain>(id).GetPriceChangesAsync();
            if (!scheduled.Any(c => c.ChangeId == changeId))
            {
                throw new CommandRejectedException(RejectionKind.NotFound, "price_change_not_found", $"{id} has no price change {changeId}.");
            }

            var members = await grains.GetGrain<IPlanRosterGrain>(id).GetMembersAsync();
            var views = await Task.WhenAll(members.Select(m => grains.GetGrain<IMemberGrain>(m).GetPriceIncreaseAsync(changeId)));
            return views.OfType<MemberPriceChangeView>()
                .Where(v => v.AwaitsConfirmation)
                .OrderBy(v => v.FullName, StringComparer.OrdinalIgnoreCase)
                .ThenBy(v => v.MemberId, StringComparer.Ordinal)
                .Select(v => new UnconfirmedMember(v.MemberId, v.FullName, v.Email, v.NotifiedAt, v.EffectiveFrom));
        }).WithSummary("Members told of a price increase who have not confirmed it: they stay at the old price; follow them up.");

        return api;
    }

    /// <summary>One line of the follow-up list.</summary>
    public sealed record UnconfirmedMember(string MemberId, string Name, string Email, DateTimeOffset NotifiedAt, DateOnly EffectiveFrom);
}
