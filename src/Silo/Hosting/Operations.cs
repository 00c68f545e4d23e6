using MedSpa.Web.Access;
using Microsoft.AspNetCore.Builder;
using Orleans.Dashboard;
using MedSpa.Grains.Members;
using MedSpa.Grains.Telemetry;
using Npgsql;
using Orleans.Diagnostics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using OpenTelemetry.Resources;

namespace MedSpa.Silo.Hosting;

/// <summary>What operators see: structured logs, OpenTelemetry metrics and traces, and the Orleans dashboard.</summary>
public static class Operations
{
    public static WebApplicationBuilder AddMedSpaTelemetry(this WebApplicationBuilder builder)
    {
        // Machine-readable logs wherever they are collected; readable lines on a developer's console.
        builder.Logging.ClearProviders();
        if (builder.Environment.IsDevelopment())
        {
            builder.Logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss ";
            });
        }
        else
        {
            builder.Logging.AddJsonConsole(json => json.IncludeScopes = true);
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("medspa", serviceInstanceId: Environment.MachineName))
            .WithMetrics(meters => meters
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("Microsoft.Orleans")
                .AddMeter(MedSpaMetrics.MeterName)
                .AddPrometheusExporter());

        // Traces follow a request from the web tier through the grains it calls (Orleans carries the trace across silos)
        // to Stripe over HTTP and to PostgreSQL, and go to the OpenTelemetry collector the environment names
        // (OTEL_EXPORTER_OTLP_ENDPOINT). Without one nothing listens, so no request pays for spans nobody would see:
        // recording them cost about a tenth of a silo's CPU under load.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry
                .WithMetrics(meters => meters.AddOtlpExporter())
                .WithTracing(traces => traces
                    .AddAspNetCoreInstrumentation()
                    .AddSource(ActivitySources.AllActivitySourceName)
                    .AddSource(PostgresMemberJournal.ActivitySourceName)
                    .AddHttpClientInstrumentation()
                    .AddNpgsql()
                    .AddOtlpExporter());
        }

        return builder;
    }

    public static WebApplication MapOperations(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(StaffAccess.Admin);
        app.MapOrleansDashboard("/dashboard").RequireAuthorization(StaffAccess.Admin);
        return app;
    }
}
