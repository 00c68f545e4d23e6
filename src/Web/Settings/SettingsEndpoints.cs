using MedSpa.Settings;
using MedSpa.Web.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace MedSpa.Web.Settings;

/// <summary><c>/api/v1/settings</c>: the practice's run-time settings, for administrators and their systems.</summary>
public static class SettingsEndpoints
{
    public static RouteGroupBuilder MapSettings(this RouteGroupBuilder api)
    {
        var settings = api.MapGroup("/settings").WithTags("Settings").RequireAuthorization(StaffAccess.Admin);

        settings.MapGet("", (IGrainFactory grains) => InForceAsync(grains))
            .WithSummary("The settings in force: the practice's own where it set them, the configured defaults otherwise.");

        settings.MapPut("", async (PracticeSettings request, IGrainFactory grains) =>
        {
            await Grain(grains).UpdateAsync(request);
            return await InForceAsync(grains);
        }).WithSummary("Replaces the settings; billing decided from now on follows them. A null retrySchedule goes back to the configured one.");

        return api;
    }

    /// <summary>What the settings page shows and the API answers: every section filled in with what billing uses.</summary>
    public static async Task<PracticeSettings> InForceAsync(IGrainFactory grains) =>
        new(await Grain(grains).GetRetryScheduleAsync());

    private static IPracticeSettingsGrain Grain(IGrainFactory grains) => grains.GetGrain<IPracticeSettingsGrain>(IPracticeSettingsGrain.Key);
}
