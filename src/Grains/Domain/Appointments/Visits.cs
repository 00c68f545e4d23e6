using System.Text.RegularExpressions;
using MedSpa.Appointments;
using MedSpa.Practice;

namespace MedSpa.Domain.Appointments;

/// <summary>How an appointment is made from a request: its id, its end from the service's duration, its local date.</summary>
public static partial class Visits
{
    /// <summary>Refuses a system name or external id that is not plain: they become part of the appointment's key.</summary>
    public static void RequireExternal(string? system, string? externalId)
    {
        if (system is null || !SystemPattern().IsMatch(system))
        {
            throw Reject.Invalid("invalid_external_system", "The system is a short lower-case name such as acuity or my-emr.");
        }

        if (externalId is null || !ExternalIdPattern().IsMatch(externalId))
        {
            throw Reject.Invalid("invalid_external_id", "The external id is 1 to 100 letters, digits, dots, dashes or underscores.");
        }
    }

    public static Appointment Book(string id, string clientId, Location location, Service service, DateTimeOffset start, AppointmentSource source, DateTimeOffset now)
    {
        var calendar = LocationCalendar.Of(location);
        var begins = start.ToUniversalTime();
        return new Appointment(id, clientId, location.Id, service.Id, calendar.DateOf(begins), begins, begins.AddMinutes(service.DurationMinutes),
            AppointmentStatus.Booked, source, WalkIn: false, BookedAt: now);
    }

    /// <summary>A client checked in at the desk now, without a booking.</summary>
    public static Appointment WalkIn(string id, string clientId, Location location, Service service, DateTimeOffset now) =>
        Book(id, clientId, location, service, now, AppointmentSource.Staff, now) with { WalkIn = true, Status = AppointmentStatus.CheckedIn, CheckedInAt = now };

    /// <summary>The same appointment at another time (and maybe place); only a booked one moves.</summary>
    public static Appointment Move(Appointment appointment, Location location, Service service, DateTimeOffset start)
    {
        switch (appointment.Status)
        {
            case AppointmentStatus.Cancelled:
                throw Reject.Conflict("appointment_cancelled", "A cancelled appointment cannot be moved; book a new one.");
            case AppointmentStatus.CheckedIn:
                throw Reject.Conflict("already_checked_in", "The client has already been checked in; this visit can no longer be moved.");
        }

        var moved = Book(appointment.Id, appointment.ClientId, location, service, start, appointment.Source, appointment.BookedAt);
        return moved with { Status = appointment.Status };
    }

    /// <summary>
    /// Another system's appointment as pushed: where and when it says, keeping a check-in already made here. One it
    /// cancelled and now pushes again is booked again, since that system decides.
    /// </summary>
    public static Appointment External(Appointment? current, string id, string system, string externalId, string clientId, Location location, Service service, DateTimeOffset start, DateTimeOffset now)
    {
        var pushed = Book(id, clientId, location, service, start, new AppointmentSource(BookingChannel.External, system, externalId), current?.BookedAt ?? now);
        return current is { Status: AppointmentStatus.CheckedIn }
            ? pushed with { Status = AppointmentStatus.CheckedIn, CheckedInAt = current.CheckedInAt }
            : pushed;
    }

    /// <summary>Whether <paramref name="request"/> asks for exactly <paramref name="booked"/>: a retry of the same booking.</summary>
    public static bool IsSameBooking(Appointment booked, BookingRequest request, AppointmentSource source) =>
        booked.ClientId == request.ClientId && booked.LocationId == request.LocationId && booked.ServiceId == request.ServiceId
        && booked.Start == request.Start.ToUniversalTime() && booked.Source == source && !booked.WalkIn;

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex SystemPattern();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex ExternalIdPattern();
}
