using System.Text.Json;
using System.Text.Json.Serialization;
using MedSpa.Live;
using MedSpa.Web.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MedSpa.Web.Live;

public static class LiveRegistration
{
    /// <summary>The hub, and this node's subscription to the cluster's fan-out.</summary>
    public static IServiceCollection AddLiveUpdates(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<LiveOptions>(configuration.GetSection(LiveOptions.Section));
        services.AddSignalR()
            // Enums as the HTTP API writes them ("past_due"), so pages read one vocabulary.
            .AddJsonProtocol(json => json.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower)));
        services.AddHostedService<LiveNode>();
        return services;
    }

    public static WebApplication MapLive(this WebApplication app)
    {
        app.MapHub<LiveHub>(LiveHub.Path).RequireAuthorization(StaffAccess.Staff);
        return app;
    }
}
