using MedSpa.Appointments;
using MedSpa.Web.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

using static MedSpa.Web.Members.MemberRoute;

namespace MedSpa.Web.Appointments;

/// <summary>
/// The schedule: a location's day with each visit's checkout preview, free times, and booking, moving, cancelling and
/// checking in (the desk's work: administrators and front desk). Other booking or EMR systems push their own
/// appointments with an API key of a desk role; those are taken as sent, never refused for capacity or hours, since
/// that system, not this schedule, decides who comes when.
/// </summary>
public static class AppointmentEndpoints
{
    public static RouteGroupBuilder MapAppointments(this RouteGroupBuilder api)
    {
        var locations = api.MapGroup("/locations/{id}").WithTags("Appointments");
        locations.MapGet("/schedule", async (string id, DateOnly? date, IGrainFactory grains, TimeProvider clock) =>
            await Day(grains, id, date ?? Schedule.Today(await Schedule.LocationAsync(grains, id), clock)).GetScheduleAsync())
            .WithSummary("The location's appointments on a local date (default today there), each with the client, the service and its checkout preview.");
        locations.MapGet("/availability", async (string id, string serviceId, DateOnly date, IGrainFactory grains) =>
        {
            var location = await Schedule.LocationAsync(grains, id);
            var slots = await Day(grains, id, date).GetAvailabilityAsync(serviceId);
            return new Availability(id, serviceId, date, location.TimeZone, slots);
        }).WithSummary("The times a service can still be booked at on a local date, with the places left at each.");
        locations.MapPost("/walk-ins", (string id, WalkInRequest request, IGrainFactory grains) =>
            Schedule.NewAppointment(grains, request.AppointmentId).WalkInAsync(id, request))
            .RequireAuthorization(StaffAccess.Desk)
            .WithSummary("Checks in a client who came without a booking: an appointment starting now, allowed over capacity. Idempotent by appointmentId.");

        var appointments = api.MapGroup("/appointments").WithTags("Appointments");
        appointments.MapPost("", async (BookingRequest request, IGrainFactory grains) =>
        {
            var booked = await Schedule.NewAppointment(grains, request.AppointmentId).BookAsync(request, AppointmentSource.Staff);
            return Results.Created($"/api/v1/appointments/{booked.Id}", booked);
        }).RequireAuthorization(StaffAccess.Desk)
            .WithSummary("Books inside opening hours, on a slot, not in the past, within capacity. Idempotent by appointmentId (apt_…).");
        appointments.MapGet("/{id}", (string id, IGrainFactory grains) => Appointment(grains, id).GetAsync())
            .WithSummary("One appointment.");
        appointments.MapPost("/{id}/move", (string id, MoveRequest request, IGrainFactory grains) => Appointment(grains, id).MoveAsync(request))
            .RequireAuthorization(StaffAccess.Desk)
            .WithSummary("Moves a booked appointment to another start (and location), under the same rules as booking.");
        appointments.MapPost("/{id}/cancel", (string id, IGrainFactory grains) => Appointment(grains, id).CancelAsync(BookingChannel.Staff))
            .RequireAuthorization(StaffAccess.Desk)
            .WithSummary("Cancels; cancelling again changes nothing.");
        appointments.MapPost("/{id}/check-in", (string id, IGrainFactory grains) => Appointment(grains, id).CheckInAsync())
            .RequireAuthorization(StaffAccess.Desk)
            .WithSummary("Checks the client in; again changes nothing.");

        api.MapGet("/members/{id}/appointments", (string id, IGrainFactory grains) =>
            grains.GetGrain<IClientAppointmentsGrain>(Member(grains, id).GetPrimaryKeyString()).GetAsync())
            .WithTags("Appointments")
            .WithSummary("The client's appointments, soonest first, cancelled ones included.");

        var external = api.MapGroup("/external-appointments/{system}/{externalId}").WithTags("Appointments").RequireAuthorization(StaffAccess.Desk);
        external.MapPut("", (string system, string externalId, ExternalAppointment request, IGrainFactory grains) =>
            Schedule.External(grains, system, externalId).UpsertExternalAsync(system, externalId, request))
            .WithSummary("Creates or updates another system's appointment as it has it. Not refused for capacity or hours: that system is the source of truth.");
        external.MapDelete("", (string system, string externalId, IGrainFactory grains) =>
            Schedule.External(grains, system, externalId).CancelAsync(BookingChannel.External))
            .WithSummary("Cancels another system's appointment; again changes nothing.");
        return api;
    }

    private static ILocationDayGrain Day(IGrainFactory grains, string locationId, DateOnly date) => Schedule.Day(grains, locationId, date);

    private static IAppointmentGrain Appointment(IGrainFactory grains, string? id) => Schedule.Appointment(grains, id);
}
