using System.Security.Claims;
using MedSpa.Appointments;
using MedSpa.Members;
using MedSpa.Web.Appointments;
using MedSpa.Web.Members;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MedSpa.Web.Access;

/// <summary>
/// The one place the API keeps staff limited to some locations away from other locations' members: every route
/// under <c>/members/{id}</c> answers 404 <c>member_not_found</c>, exactly as for a member who does not exist, the
/// member search leaves them out, and another location's own routes (<c>/locations/{id}/…</c>) and appointments answer
/// 404. A client is theirs when the client's home location is one of theirs: the same rule wherever a client is read
/// or acted on, so booking, walking in or moving an appointment also needs the client's home allowed, not only the
/// appointment's location. Pages ask <see cref="StaffAccess.MaySee"/> or <see cref="MaySeeClientAsync"/> themselves.
/// </summary>
public static class LocationLimit
{
    public static RouteGroupBuilder LimitMembersToStaffLocations(this RouteGroupBuilder api) => api.AddEndpointFilter(async (context, next) =>
    {
        var http = context.HttpContext;
        if (StaffAccess.Locations(http.User).Count == 0)
        {
            return await next(context);
        }

        // A location's own routes (its schedule, free times, walk-ins) are as closed as its members.
        if (http.Request.Path.StartsWithSegments("/api/v1/locations") && http.GetRouteValue("id") is string locationId
            && !StaffAccess.MaySee(http.User, locationId))
        {
            throw new CommandRejectedException(RejectionKind.NotFound, "location_not_found", "There is no location with this id.");
        }

        var grains = http.RequestServices.GetRequiredService<IGrainFactory>();
        if (http.Request.Path.StartsWithSegments("/api/v1/locations"))
        {
            foreach (var walkIn in context.Arguments.OfType<WalkInRequest>())
            {
                if (!await MaySeeClientAsync(http.User, grains, walkIn.ClientId))
                {
                    throw new CommandRejectedException(RejectionKind.NotFound, "member_not_found", "There is no client with this id.");
                }
            }
        }

        // Appointments: the one looked up must be at one of their locations, and so must wherever they book or move it.
        if (http.Request.Path.StartsWithSegments("/api/v1/appointments"))
        {
            var existing = http.GetRouteValue("id") is string appointmentId
                ? await Schedule.Appointment(grains, appointmentId).GetAsync()
                : null;
            var to = context.Arguments.OfType<BookingRequest>().Select(r => r.LocationId)
                .Concat(context.Arguments.OfType<MoveRequest>().Select(r => r.LocationId));
            if (new[] { existing?.LocationId }.Concat(to).OfType<string>().Any(location => !StaffAccess.MaySee(http.User, location))
                || (existing is not null && !await MaySeeClientAsync(http.User, grains, existing.ClientId)))
            {
                throw new CommandRejectedException(RejectionKind.NotFound, "appointment_not_found", "There is no appointment here with this id.");
            }

            foreach (var booking in context.Arguments.OfType<BookingRequest>())
            {
                if (!await MaySeeClientAsync(http.User, grains, booking.ClientId))
                {
                    throw new CommandRejectedException(RejectionKind.NotFound, "member_not_found", "There is no client with this id.");
                }
            }

            return await next(context);
        }

        if (!http.Request.Path.StartsWithSegments("/api/v1/members"))
        {
            return await next(context);
        }

        if (http.GetRouteValue("id") is string id)
        {
            var profile = await MemberRoute.Member(grains, id).GetProfileAsync();
            if (!StaffAccess.MaySee(http.User, profile.HomeLocationId))
            {
                throw new CommandRejectedException(RejectionKind.NotFound, "member_not_found", "There is no client with this id.");
            }

            return await next(context);
        }

        return await next(context) switch
        {
            IEnumerable<MemberSummary> found => found.Where(m => StaffAccess.MaySee(http.User, m.HomeLocationId)).ToArray(),
            var other => other,
        };
    });

    /// <summary>
    /// Whether <paramref name="user"/> may read and act on the client <paramref name="clientId"/>: staff limited to
    /// some locations only when the client's home is one of them. An id that names no client is let through, so the
    /// command answers it as it answers anyone.
    /// </summary>
    public static async Task<bool> MaySeeClientAsync(ClaimsPrincipal user, IGrainFactory grains, string? clientId)
    {
        if (StaffAccess.Locations(user).Count == 0 || clientId is null)
        {
            return true;
        }

        try
        {
            return StaffAccess.MaySee(user, (await MemberRoute.Member(grains, clientId).GetProfileAsync()).HomeLocationId);
        }
        catch (CommandRejectedException rejected) when (rejected.Kind == RejectionKind.NotFound)
        {
            return true;
        }
    }
}
