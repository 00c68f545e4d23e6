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
/// 404. Pages ask <see cref="StaffAccess.MaySee"/> themselves.
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

        // Appointments: the one looked up must be at one of their locations, and so must wherever they book or move it.
        if (http.Request.Path.StartsWithSegments("/api/v1/appointments"))
        {
            var at = http.GetRouteValue("id") is string appointmentId
                ? (await Schedule.Appointment(http.RequestServices.GetRequiredService<IGrainFactory>(), appointmentId).GetAsync()).LocationId
                : null;
            var to = context.Arguments.OfType<BookingRequest>().Select(r => r.LocationId)
                .Concat(context.Arguments.OfType<MoveRequest>().Select(r => r.LocationId));
            if (new[] { at }.Concat(to).OfType<string>().Any(location => !StaffAccess.MaySee(http.User, location)))
            {
                throw new CommandRejectedException(RejectionKind.NotFound, "appointment_not_found", "There is no appointment here with this id.");
            }

            return await next(context);
        }

        if (!http.Request.Path.StartsWithSegments("/api/v1/members"))
        {
            return await next(context);
        }

        if (http.GetRouteValue("id") is string id)
        {
            var profile = await MemberRoute.Member(http.RequestServices.GetRequiredService<IGrainFactory>(), id).GetProfileAsync();
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
}
