using MedSpa.Silo.Demo;
using MedSpa.Web;
using Microsoft.AspNetCore.Builder;

namespace MedSpa.Silo.Hosting;

/// <summary>One process: an Orleans silo co-hosting the web app. Tests build the same host with extra configuration.</summary>
public static class MedSpaHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);

        builder.AddMedSpaTelemetry();
        builder.AddMedSpaStorage();
        builder.AddMedSpaOrleans();
        builder.AddMedSpaPayments();
        builder.AddMedSpaNotifications();
        builder.AddMedSpaWeb();
        if (builder.Configuration.GetValue<bool>(DemoPractice.Setting))
        {
            builder.Services.AddHostedService<DemoPractice>();
        }

        var app = builder.Build();
        app.MapMedSpaWeb();
        app.MapOperations();
        return app;
    }
}
