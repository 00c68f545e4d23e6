using MedSpa.Plans;
using MedSpa.Web.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MedSpa.Web.Plans;

/// <summary><c>/api/v1/plans</c>: the membership tiers, each with every version of its terms.</summary>
public static class PlanEndpoints
{
    public static RouteGroupBuilder MapPlans(this RouteGroupBuilder api)
    {
        var plans = api.MapGroup("/plans").WithTags("Plans");
        plans.MapPost("", async (PlanTerms terms, IGrainFactory grains) =>
        {
            var plan = await Directory(grains).CreateAsync(terms);
            return Results.Created($"/api/v1/plans/{plan.Id}", plan);
        }).RequireAuthorization(StaffAccess.Admin)
            .WithSummary("Creates a tier; its id comes from its name (VIP Plus → plan_vip-plus) and never changes.");

        plans.MapGet("", (IGrainFactory grains) => Directory(grains).ListAsync())
            .WithSummary("Every tier with all its versions, ordered by the current name.");

        plans.MapGet("/{id}", (string id, IGrainFactory grains) => grains.GetGrain<IPlanGrain>(id).GetAsync())
            .WithSummary("One tier with all its versions; the last is the one new members sign up to.");

        plans.MapPut("/{id}", (string id, PlanTerms terms, IGrainFactory grains) => grains.GetGrain<IPlanGrain>(id).ReviseAsync(terms))
            .RequireAuthorization(StaffAccess.Admin)
            .WithSummary("Changes a tier's terms as a new version; existing members stay on theirs. The same terms again add nothing.");

        return api;
    }

    private static IPlanDirectoryGrain Directory(IGrainFactory grains) => grains.GetGrain<IPlanDirectoryGrain>(IPlanDirectoryGrain.Key);
}
