using System.Collections.Concurrent;
using MedSpa.Members;
using MedSpa.Plans;

namespace MedSpa.Web.Plans;

/// <summary>Scheduling a price increase and following it up: the one implementation the API and the admin page share.</summary>
public static class PriceIncreases
{
    /// <summary>Members told at once; enough to keep a large roster quick without flooding the silo.</summary>
    private const int Parallelism = 8;

    /// <summary>Records the change on the plan, then tells every member on its roster.</summary>
    public static async Task<PriceChangeFanOut> ScheduleAsync(IGrainFactory grains, string planId, PriceChangeRequest request, CancellationToken cancellationToken)
    {
        var change = await grains.GetGrain<IPlanGrain>(planId).SchedulePriceChangeAsync(request);
        // Not inside the plan grain: a member enrolling asks the plan grain for its terms, and a plan grain waiting on
        // that member in turn would deadlock. Repeating the request re-runs this; members told already record nothing.
        var notice = new PriceIncreaseNotice(change.ChangeId, change.PlanId, change.NewPrice, change.NoticeDays);
        var members = await grains.GetGrain<IPlanRosterGrain>(planId).GetMembersAsync();
        var told = new ConcurrentBag<DateOnly>();
        await Parallel.ForEachAsync(members, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (memberId, _) =>
        {
            if (await grains.GetGrain<IMemberGrain>(memberId).NotifyPriceIncreaseAsync(notice) is { } view)
            {
                told.Add(view.EffectiveFrom);
            }
        });
        return told.IsEmpty
            ? new PriceChangeFanOut(change, members.Length, 0)
            : new PriceChangeFanOut(change, members.Length, told.Count, told.Min(), told.Max());
    }

    /// <summary>Members told of the change who have not confirmed it, by name. 404 <c>price_change_not_found</c>.</summary>
    public static async Task<IReadOnlyList<UnconfirmedMember>> UnconfirmedAsync(IGrainFactory grains, string planId, string changeId)
    {
        var scheduled = await grains.GetGrain<IPlanGrain>(planId).GetPriceChangesAsync();
        if (!scheduled.Any(c => c.ChangeId == changeId))
        {
            throw new CommandRejectedException(RejectionKind.NotFound, "price_change_not_found", $"{planId} has no price change {changeId}.");
        }

        var members = await grains.GetGrain<IPlanRosterGrain>(planId).GetMembersAsync();
        var views = await Task.WhenAll(members.Select(m => grains.GetGrain<IMemberGrain>(m).GetPriceIncreaseAsync(changeId)));
        return [.. views.OfType<MemberPriceChangeView>()
            .Where(v => v.AwaitsConfirmation)
            .OrderBy(v => v.FullName, StringComparer.OrdinalIgnoreCase)
            .ThenBy(v => v.MemberId, StringComparer.Ordinal)
            .Select(v => new UnconfirmedMember(v.MemberId, v.FullName, v.Email, v.NotifiedAt, v.EffectiveFrom))];
    }
}

/// <summary>One line of the follow-up list.</summary>
public sealed record UnconfirmedMember(string MemberId, string Name, string Email, DateTimeOffset NotifiedAt, DateOnly EffectiveFrom);
