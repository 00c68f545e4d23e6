using MedSpa.Billing;
using MedSpa.Clock;
using MedSpa.Web.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MedSpa.Web.Clock;

/// <summary>
/// <c>/api/v1/admin/clock</c>: read the clock, and move a simulated one forward. With a real clock these
/// endpoints do not exist (404), so a production deployment cannot be time-travelled by accident.
/// </summary>
public static class ClockEndpoints
{
    public static RouteGroupBuilder MapClock(this RouteGroupBuilder api)
    {
        var clock = api.MapGroup("/admin/clock")
            .RequireAuthorization(StaffAccess.Admin)
            .AddEndpointFilter(async (context, next) =>
                context.HttpContext.RequestServices.GetRequiredService<IOptions<ClockOptions>>().Value.Mode == ClockMode.Simulated
                    ? await next(context)
                    : Results.Problem(statusCode: StatusCodes.Status404NotFound, detail: "The clock is real; there is no simulated clock to read or move.",
                        extensions: new Dictionary<string, object?> { ["code"] = "clock_not_simulated" }))
            .WithTags("Admin");

        clock.MapGet("", (IGrainFactory grains) => grains.GetGrain<IClockGrain>(IClockGrain.Key).GetAsync())
            .WithSummary("The simulated clock's current instant and offset from real time.");

        clock.MapPost("/advance", (ClockAdvance request, IGrainFactory grains) => AdvanceAsync(grains, request))
            .WithSummary("Moves simulated time forward, stopping at every due instant on the way so that renewals, retries and suspensions happen in order.");

        return api;
    }

    /// <summary>Moves the simulated clock as asked, through the billing run so every due instant on the way happens in order.</summary>
    public static async Task<ClockReading> AdvanceAsync(IGrainFactory grains, ClockAdvance request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var clockGrain = grains.GetGrain<IClockGrain>(IClockGrain.Key);
        var target = request switch
        {
            { By: not null, To: not null } => throw Invalid("Give either \"by\" or \"to\", not both."),
            { By: { } by } => CalendarDuration.TryParse(by, out var duration)
                ? duration.After((await clockGrain.GetAsync()).Now) ?? throw Invalid("That duration goes past the end of the calendar.")
                : throw Invalid($"\"{by}\" is not an ISO 8601 duration such as P1M, P3D or PT12H."),
            { To: { } to } => to,
            _ => throw Invalid("Give \"by\" (an ISO 8601 duration such as P1M) or \"to\" (an instant)."),
        };
        if (target <= (await clockGrain.GetAsync()).Now)
        {
            throw new CommandRejectedException(RejectionKind.Invalid, "clock_cannot_go_back", "Simulated time only moves forward.");
        }

        await grains.GetGrain<IBillingRunGrain>(IBillingRunGrain.Key).AdvanceClockToAsync(target);
        return await clockGrain.GetAsync();
    }

    private static CommandRejectedException Invalid(string message) =>
        new(RejectionKind.Invalid, "invalid_clock_advance", message);
}

/// <summary><c>{"by": "P1M"}</c> or <c>{"to": "2027-01-01T09:00:00Z"}</c>.</summary>
public sealed record ClockAdvance(string? By, DateTimeOffset? To);
