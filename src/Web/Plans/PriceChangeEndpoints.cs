using MedSpa.Plans;
using MedSpa.Web.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MedSpa.Web.Plans;

/// <summary><c>/api/v1/plans/{id}/price-changes</c>: scheduling a price increase, telling members, and who has not confirmed.</summary>
public static class PriceChangeEndpoints
{
    public static RouteGroupBuilder MapPriceChanges(this RouteGroupBuilder api)
    {
        var changes = api.MapGroup("/plans/{id}/price-changes").WithTags("Plans");

        changes.MapPost("", (string id, PriceChangeRequest request, IGrainFactory grains, CancellationToken cancellationToken) =>
            PriceIncreases.ScheduleAsync(grains, id, request, cancellationToken))
            .RequireAuthorization(StaffAccess.Admin)
            .WithSummary("Schedules a price increase and tells every member of the plan; it applies to each from their first billing date after the notice period, once they confirm. Repeating the same request (same changeId) finishes telling members.");

        changes.MapGet("", (string id, IGrainFactory grains) => grains.GetGrain<IPlanGrain>(id).GetPriceChangesAsync())
            .WithSummary("The plan's scheduled price increases, oldest first.");

        changes.MapGet("/{changeId}/unconfirmed", (string id, string changeId, IGrainFactory grains) => PriceIncreases.UnconfirmedAsync(grains, id, changeId))
            .WithSummary("Members told of a price increase who have not confirmed it: they stay at the old price; follow them up.");

        return api;
    }
}
