using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MedSpa.StripeEmulator;

/// <summary>Configuration section <c>Emulator</c>.</summary>
public sealed class EmulatorOptions
{
    public const string Section = "Emulator";

    /// <summary>Operations per second before 429 (Stripe's test mode allows 25). Zero or less: unlimited.</summary>
    public int RatePerSecond { get; set; } = 25;

    /// <summary>How long every API call takes to be answered (see <see cref="ApiLatency"/>); zero by default.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>A file that keeps the account between runs; unset, the account lives in memory only.</summary>
    public string? StateFile { get; set; }
}

/// <summary>
/// Builds the emulator as an ordinary ASP.NET Core app, so it runs standalone (Program.cs) or in-process in tests
/// and in a development silo: <c>StripeEmulatorHost.Build(["--urls", "http://127.0.0.1:12111"])</c>, then StartAsync.
/// </summary>
public static class StripeEmulatorHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);

        var options = builder.Configuration.GetSection(EmulatorOptions.Section).Get<EmulatorOptions>() ?? new EmulatorOptions();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(new ApiRateLimiter(options.RatePerSecond));
        builder.Services.AddSingleton(new ApiLatency(options.Latency));
        builder.Services.AddSingleton<IdempotencyStore>();
        builder.Services.AddSingleton<FaultInjector>();
        builder.Services.AddSingleton<WebhookDispatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        builder.Services.AddSingleton<EmulatorState>();
        builder.Services.AddSingleton<StripeApi>();
        if (options.StateFile is { Length: > 0 } stateFile)
        {
            builder.Services.AddHostedService(sp => new EmulatorStateFile(
                stateFile, sp.GetRequiredService<EmulatorState>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<EmulatorStateFile>>()));
        }

        var app = builder.Build();
        app.Map("/v1/{**path}", (HttpContext http, StripeApi api) => api.HandleAsync(http));
        MapAdmin(app);
        return app;
    }

    private static void MapAdmin(WebApplication app)
    {
        // The controls reset the account, inject faults and show the webhook secret: they take the API's own secret key,
        // as Stripe's dashboard is no more open than its API.
        var admin = app.MapGroup("/_emulator").AddEndpointFilter(async (context, next) => StripeApi.ApiKey(context.HttpContext.Request) is null
            ? Results.Text(
                new StripeApiException(401, "invalid_request_error", "The emulator's controls need its secret key: Authorization: Bearer sk_test_…").ToResult().Json,
                "application/json",
                statusCode: StatusCodes.Status401Unauthorized)
            : await next(context));
        admin.MapPost("/faults", (FaultRequest request, FaultInjector faults) =>
        {
            try
            {
                return Results.Ok(faults.Add(request));
            }
            catch (ArgumentException error)
            {
                return Results.BadRequest(new { error = error.Message });
            }
        });
        admin.MapGet("/faults", (FaultInjector faults) => Results.Ok(faults.Rules()));
        admin.MapDelete("/faults", (FaultInjector faults) =>
        {
            faults.Clear();
            return Results.NoContent();
        });
        admin.MapPost("/rate_limit", (RateLimitRequest request, ApiRateLimiter limiter) =>
        {
            limiter.Configure(request.PerSecond);
            return Results.Ok(new { per_second = limiter.PerSecond });
        });
        admin.MapPost("/latency", (LatencyRequest request, ApiLatency latency) =>
        {
            if (request.Milliseconds < 0)
            {
                return Results.BadRequest(new { error = "milliseconds cannot be negative" });
            }

            latency.Configure(TimeSpan.FromMilliseconds(request.Milliseconds));
            return Results.Ok(new { milliseconds = (long)latency.Value.TotalMilliseconds });
        });
        admin.MapPost("/webhooks", (WebhookRequest request, WebhookDispatcher webhooks) => Results.Ok(webhooks.Register(request)));
        admin.MapGet("/webhooks", (WebhookDispatcher webhooks) => Results.Ok(webhooks.Endpoints()));
        admin.MapDelete("/webhooks", (WebhookDispatcher webhooks) =>
        {
            webhooks.Clear();
            return Results.NoContent();
        });
        admin.MapGet("/payment_intents", (EmulatorState state) =>
            Results.Text(new JsonArray(state.AllPaymentIntents().Select(pi => (JsonNode)pi).ToArray()).ToJsonString(), "application/json"));
        admin.MapGet("/payment_intents/count", (EmulatorState state) => Results.Ok(new { count = state.PaymentIntentCount() }));
        // Things that happen at the bank or the card network rather than through the API; each emits its webhook.
        admin.MapPost("/disputes", (DisputeRequest request, EmulatorState state) =>
            Admin(() => state.CreateDispute(request, AdminCall())));
        admin.MapPost("/payment_methods/{id}/automatically_update", (string id, CardUpdate update, EmulatorState state) =>
            Admin(() => state.AutomaticallyUpdatePaymentMethod(id, update, AdminCall())));
        admin.MapPost("/reset", (EmulatorState state, IdempotencyStore idempotency, FaultInjector faults, WebhookDispatcher webhooks) =>
        {
            state.Reset();
            idempotency.Reset();
            faults.Clear();
            webhooks.Clear();
            return Results.NoContent();
        });
    }

    private static ApiCall AdminCall() => new("admin", StripeIds.New("req"), null, null);

    private static IResult Admin(Func<JsonObject> operation)
    {
        try
        {
            return Results.Text(operation().ToJsonString(), "application/json");
        }
        catch (StripeApiException error)
        {
            var result = error.ToResult();
            return Results.Text(result.Json, "application/json", statusCode: result.Status);
        }
    }
}

/// <summary>Body of <c>POST /_emulator/disputes</c>: the charge to dispute, directly or through its PaymentIntent.</summary>
public sealed record DisputeRequest(
    [property: System.Text.Json.Serialization.JsonPropertyName("payment_intent")] string? PaymentIntent = null,
    [property: System.Text.Json.Serialization.JsonPropertyName("charge")] string? Charge = null,
    [property: System.Text.Json.Serialization.JsonPropertyName("reason")] string? Reason = null);

/// <summary>Body of <c>POST /_emulator/payment_methods/{id}/automatically_update</c>; an absent expiry moves the year on by three.</summary>
public sealed record CardUpdate(
    [property: System.Text.Json.Serialization.JsonPropertyName("exp_month")] int? ExpMonth = null,
    [property: System.Text.Json.Serialization.JsonPropertyName("exp_year")] int? ExpYear = null,
    [property: System.Text.Json.Serialization.JsonPropertyName("last4")] string? Last4 = null);

/// <summary>Body of <c>POST /_emulator/latency</c>: how long every API call takes from now on.</summary>
public sealed record LatencyRequest([property: System.Text.Json.Serialization.JsonPropertyName("milliseconds")] long Milliseconds);

/// <summary>Body of <c>POST /_emulator/rate_limit</c>.</summary>
public sealed record RateLimitRequest([property: System.Text.Json.Serialization.JsonPropertyName("per_second")] int PerSecond);
