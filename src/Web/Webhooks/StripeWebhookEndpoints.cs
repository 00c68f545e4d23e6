using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MedSpa.Billing;
using MedSpa.Members;
using MedSpa.Web.Members;
using MedSpa.Web.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MedSpa.Web.Webhooks;

/// <summary>
/// <c>POST /webhooks/stripe</c>: Stripe's signed events. The signature is checked on the raw body before anything is
/// read from it; the cluster then handles each event id once (see <see cref="IStripeEventsGrain"/>). Also the staff
/// list of disputes those events open.
/// </summary>
public static class StripeWebhookEndpoints
{
    public const string InvalidSignature = "invalid_signature";
    public const string StaleSignature = "stale_signature";

    /// <summary>Key of the wall clock signatures are checked against: Stripe signs in real time, whatever the practice clock says.</summary>
    public const string WallClock = "stripe-webhooks";

    /// <summary>Stripe's own libraries accept signatures up to five minutes old.</summary>
    private static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    public static IServiceCollection AddStripeWebhooks(this IServiceCollection services)
    {
        services.AddKeyedSingleton(WallClock, TimeProvider.System);
        return services;
    }

    public static WebApplication MapStripeWebhooks(this WebApplication app)
    {
        app.MapPost("/webhooks/stripe", ReceiveAsync)
            .AllowAnonymous()
            .DisableAntiforgery()
            .WithTags("Webhooks")
            .WithSummary("Stripe events, signed with Stripe:WebhookSecret; each event id is handled once.");
        return app;
    }

    public static RouteGroupBuilder MapDisputes(this RouteGroupBuilder api)
    {
        api.MapGet("/disputes", (bool? all, IGrainFactory grains) =>
            grains.GetGrain<IDisputeDeskGrain>(IDisputeDeskGrain.Key).ListAsync(openOnly: all != true))
            .RequireAuthorization(StaffAccess.Admin)
            .WithTags("Disputes")
            .WithSummary("Card payments members have disputed with their bank, newest first: open ones, or all with ?all=true.");
        api.MapGet("/members/{id}/disputes", (string id, IGrainFactory grains) =>
            MemberRoute.Member(grains, id).GetDisputesAsync())
            .WithTags("Disputes")
            .WithSummary("The member's disputes: a member with an open one is flagged for staff.");
        return api;
    }

    private static async Task<IResult> ReceiveAsync(
        HttpRequest request, IConfiguration configuration, IGrainFactory grains, [FromKeyedServices(WallClock)] TimeProvider wallClock)
    {
        var secret = configuration["Stripe:WebhookSecret"];
        if (string.IsNullOrEmpty(secret))
        {
            throw new CommandRejectedException(RejectionKind.Unavailable, "webhooks_not_configured", "Stripe:WebhookSecret is not set; no event can be verified.");
        }

        // The signature covers the exact bytes Stripe sent: read them as they are, never a re-serialised body.
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        var payload = buffer.ToArray();
        var tolerance = configuration.GetValue<TimeSpan?>("Stripe:WebhookTolerance") ?? DefaultTolerance;
        Verify(payload, request.Headers["Stripe-Signature"].ToString(), secret, wallClock.GetUtcNow(), tolerance);

        var notice = Parse(payload);
        var outcome = await grains.GetGrain<IStripeEventsGrain>(0).HandleAsync(notice);
        return outcome == StripeEventOutcome.InProgress
            ? throw new CommandRejectedException(RejectionKind.Conflict, "event_in_progress", $"Event {notice.EventId} is being handled; retry later.")
            : Results.Ok(new { received = true, outcome = outcome.ToString().ToLowerInvariant() });
    }

    /// <summary>
    /// Stripe's scheme: header <c>t=&lt;unix&gt;,v1=&lt;hex&gt;[,v1=…]</c>, v1 = HMAC-SHA256(secret, "t.payload"). Any v1
    /// may match (Stripe sends several while a secret is rolled). The signature is checked before the timestamp, so
    /// a forged request learns nothing about timing.
    /// </summary>
    public static void Verify(byte[] payload, string header, string secret, DateTimeOffset now, TimeSpan tolerance)
    {
        ArgumentNullException.ThrowIfNull(payload);
        long? timestamp = null;
        var signatures = new List<byte[]>();
        foreach (var part in (header ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = part.IndexOf('=', StringComparison.Ordinal) is var at and > 0 ? (part[..at], part[(at + 1)..]) : (part, "");
            if (key == "t" && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t))
            {
                timestamp = t;
            }
            else if (key == "v1" && value.Length == 64 && value.All(char.IsAsciiHexDigit))
            {
                signatures.Add(Convert.FromHexString(value));
            }
        }

        if (timestamp is not { } signedAt || signatures.Count == 0)
        {
            throw Invalid("The Stripe-Signature header is missing or malformed.");
        }

        var signed = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{signedAt}."));
        byte[] message = [.. signed, .. payload];
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message);
        if (!signatures.Any(s => CryptographicOperations.FixedTimeEquals(s, expected)))
        {
            throw Invalid("No signature matches the payload for the configured webhook secret.");
        }

        if (Math.Abs(now.ToUnixTimeSeconds() - signedAt) > tolerance.TotalSeconds)
        {
            throw new CommandRejectedException(RejectionKind.Invalid, StaleSignature,
                "The signature's timestamp is outside the tolerance: a replayed or delayed request.");
        }
    }

    private static CommandRejectedException Invalid(string detail) => new(RejectionKind.Invalid, InvalidSignature, detail);

    private static StripeEventNotice Parse(byte[] payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            var data = root.GetProperty("data");
            string? previousCustomer = null;
            if (data.TryGetProperty("previous_attributes", out var previous) && previous.ValueKind == JsonValueKind.Object
                && previous.TryGetProperty("customer", out var customer) && customer.ValueKind == JsonValueKind.String)
            {
                previousCustomer = customer.GetString();
            }

            return new StripeEventNotice(
                root.GetProperty("id").GetString()!,
                root.GetProperty("type").GetString()!,
                data.GetProperty("object").GetProperty("id").GetString()!,
                previousCustomer,
                root.TryGetProperty("created", out var created) && created.TryGetInt64(out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null);
        }
        catch (Exception malformed) when (malformed is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new CommandRejectedException(RejectionKind.Invalid, "malformed_request", "The event is not a Stripe event object.");
        }
    }
}
