using System.Text.Json;
using System.Text.Json.Serialization;
using MedSpa.Web.Access;
using MedSpa.Web.Appointments;
using MedSpa.Web.Billing;
using MedSpa.Web.Clock;
using MedSpa.Web.Export;
using MedSpa.Web.Health;
using MedSpa.Web.Import;
using MedSpa.Web.Live;
using MedSpa.Web.Members;
using MedSpa.Web.Notifications;
using MedSpa.Web.Plans;
using MedSpa.Web.Portal;
using MedSpa.Web.Practice;
using MedSpa.Web.Problems;
using MedSpa.Web.Reporting;
using MedSpa.Web.Security;
using MedSpa.Web.Settings;
using MedSpa.Web.Shared;
using MedSpa.Web.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace MedSpa.Web;

public static class WebRegistration
{
    /// <summary>Largest request body the API accepts; only a member spreadsheet (<c>ImportEndpoints.MaxFileBytes</c>) is allowed more.</summary>
    private const long MaxRequestBody = 1024 * 1024;

    /// <summary>Adds the web app. Call after the silo: its start-up work needs the cluster.</summary>
    public static WebApplicationBuilder AddMedSpaWeb(this WebApplicationBuilder builder)
    {
        builder.Services.AddMedSpaProblems();
        builder.Services.AddMedSpaAccess(builder.Configuration, builder.Environment);
        builder.Services.AddMemberPortalAccess(builder.Configuration, builder.Environment);
        builder.Services.AddStripeWebhooks();
        builder.Services.AddLiveUpdates(builder.Configuration);
        builder.Services.AddOpenApi();
        builder.Services.AddAntiforgery();
        builder.Services.AddRazorPages(options =>
            {
                // Pages sit in the feature folders beside the endpoints, each with an explicit route.
                options.RootDirectory = "/";
                options.Conventions.AddPortalConventions();
            })
            .AddApplicationPart(typeof(WebRegistration).Assembly);
        builder.Services.AddHealthChecks().AddCheck<SiloHealthCheck>("silo", tags: [HealthEndpoints.Ready]);
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
            options.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBody);
        return builder;
    }

    public static WebApplication MapMedSpaWeb(this WebApplication app)
    {
        app.UseMedSpaProxies();
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseClientAssets();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.UseCookieApiGuard();

        app.MapOpenApi().AllowAnonymous();
        app.MapRazorPages();
        app.MapHealth();
        app.MapSignIn();
        app.MapPortal();
        app.MapStripeWebhooks();
        app.MapLive();

        var api = app.MapGroup("/api/v1").RequireAuthorization(StaffAccess.Staff).LimitMembersToStaffLocations();
        api.MapClock();
        api.MapPractice();
        api.MapPlans();
        api.MapMembers();
        api.MapBilling();
        api.MapPlanChanges();
        api.MapPriceChanges();
        api.MapDisputes();
        api.MapLifecycle();
        api.MapMailbox();
        api.MapAppointments();
        api.MapStaffAccess();
        api.MapSettings();
        api.MapReports();
        api.MapExports();
        api.MapImport();
        return app;
    }
}
