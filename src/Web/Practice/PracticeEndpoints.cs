using MedSpa.Practice;
using MedSpa.Web.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MedSpa.Web.Practice;

/// <summary><c>/api/v1/locations</c> and <c>/api/v1/services</c>: the practice's sites and treatment menu.</summary>
public static class PracticeEndpoints
{
    public static RouteGroupBuilder MapPractice(this RouteGroupBuilder api)
    {
        var locations = api.MapGroup("/locations").WithTags("Practice");
        locations.MapGet("", async (IGrainFactory grains) => (await Practice(grains).GetCatalogueAsync()).Locations)
            .WithSummary("The practice's locations, each with the time zone its members are billed in.");
        locations.MapPost("", async (NewLocation request, IGrainFactory grains) =>
        {
            var location = await Practice(grains).AddLocationAsync(request);
            return Results.Created($"/api/v1/locations/{location.Id}", location);
        }).RequireAuthorization(StaffAccess.Admin).WithSummary("Adds a location.");
        locations.MapPut("/{id}/hours", (string id, OpeningHours hours, IGrainFactory grains) => Practice(grains).SetOpeningHoursAsync(id, hours))
            .RequireAuthorization(StaffAccess.Admin)
            .WithSummary("Sets a location's weekly opening hours (local time; a weekday not listed is closed), slot length and capacity.");

        var services = api.MapGroup("/services").WithTags("Practice");
        services.MapGet("", async (IGrainFactory grains) => (await Practice(grains).GetCatalogueAsync()).Services)
            .WithSummary("The service catalogue: category, list price and duration of each treatment.");
        services.MapPost("", async (NewService request, IGrainFactory grains) =>
        {
            var service = await Practice(grains).AddServiceAsync(request);
            return Results.Created($"/api/v1/services/{service.Id}", service);
        }).RequireAuthorization(StaffAccess.Admin).WithSummary("Adds a service to the catalogue.");

        return api;
    }

    private static IPracticeGrain Practice(IGrainFactory grains) => grains.GetGrain<IPracticeGrain>(IPracticeGrain.Key);
}
