namespace MedSpa.Appointments;

public enum AppointmentStatus
{
    Booked,
    CheckedIn,
    Cancelled,
}

/// <summary>Who put the appointment in the book.</summary>
public enum BookingChannel
{
    /// <summary>The desk, on the dashboard or the staff API.</summary>
    Staff,

    /// <summary>The member, in the portal.</summary>
    Portal,

    /// <summary>An outside booking or EMR system, which stays the source of truth for it.</summary>
    External,
}

/// <summary>Where an appointment came from; for <see cref="BookingChannel.External"/>, the system and its own id.</summary>
[GenerateSerializer, Immutable]
public sealed record AppointmentSource(
    [property: Id(0)] BookingChannel Channel,
    [property: Id(1)] string? System = null,
    [property: Id(2)] string? ExternalId = null)
{
    public static AppointmentSource Staff { get; } = new(BookingChannel.Staff);

    public static AppointmentSource Portal { get; } = new(BookingChannel.Portal);
}

/// <summary>
/// A client's visit to a location for one service, from <see cref="Start"/> to <see cref="End"/> (start plus the
/// service's duration). <see cref="Date"/> is the local date at the location, the day whose book holds it. A walk-in
/// was checked in without a booking, at the moment the client arrived.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Appointment(
    [property: Id(0)] string Id,
    [property: Id(1)] string ClientId,
    [property: Id(2)] string LocationId,
    [property: Id(3)] string ServiceId,
    [property: Id(4)] DateOnly Date,
    [property: Id(5)] DateTimeOffset Start,
    [property: Id(6)] DateTimeOffset End,
    [property: Id(7)] AppointmentStatus Status,
    [property: Id(8)] AppointmentSource Source,
    [property: Id(9)] bool WalkIn,
    [property: Id(10)] DateTimeOffset BookedAt,
    [property: Id(11)] DateTimeOffset? CheckedInAt = null,
    [property: Id(12)] DateTimeOffset? CancelledAt = null);

/// <summary>Body of <c>POST /api/v1/appointments</c>; the caller picks <see cref="AppointmentId"/> (<c>apt_…</c>) so a retry never books twice.</summary>
[GenerateSerializer, Immutable]
public sealed record BookingRequest(
    [property: Id(0)] string AppointmentId,
    [property: Id(1)] string ClientId,
    [property: Id(2)] string LocationId,
    [property: Id(3)] string ServiceId,
    [property: Id(4)] DateTimeOffset Start);

/// <summary>Body of <c>POST /api/v1/appointments/{id}/move</c>: a new start, at the same location unless another is named.</summary>
[GenerateSerializer, Immutable]
public sealed record MoveRequest(
    [property: Id(0)] DateTimeOffset Start,
    [property: Id(1)] string? LocationId = null);

/// <summary>Body of <c>POST /api/v1/locations/{id}/walk-ins</c>: a client at the desk without a booking, checked in now.</summary>
[GenerateSerializer, Immutable]
public sealed record WalkInRequest(
    [property: Id(0)] string AppointmentId,
    [property: Id(1)] string ClientId,
    [property: Id(2)] string ServiceId);

/// <summary>Body of <c>PUT /api/v1/external-appointments/{system}/{externalId}</c>: the appointment as the outside system has it.</summary>
[GenerateSerializer, Immutable]
public sealed record ExternalAppointment(
    [property: Id(0)] string ClientId,
    [property: Id(1)] string LocationId,
    [property: Id(2)] string ServiceId,
    [property: Id(3)] DateTimeOffset Start);

/// <summary>A start time a service can be booked at, and how many more appointments could start then.</summary>
[GenerateSerializer, Immutable]
public sealed record AvailableSlot(
    [property: Id(0)] DateTimeOffset Start,
    [property: Id(1)] DateTimeOffset End,
    [property: Id(2)] int Remaining);

/// <summary>Answer of <c>GET /api/v1/locations/{id}/availability</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record Availability(
    [property: Id(0)] string LocationId,
    [property: Id(1)] string ServiceId,
    [property: Id(2)] DateOnly Date,
    [property: Id(3)] string TimeZone,
    [property: Id(4)] IReadOnlyList<AvailableSlot> Slots);

/// <summary>Answer of <c>GET /api/v1/locations/{id}/schedule</c>: a location's day in time order.</summary>
[GenerateSerializer, Immutable]
public sealed record DaySchedule(
    [property: Id(0)] string LocationId,
    [property: Id(1)] DateOnly Date,
    [property: Id(2)] string TimeZone,
    [property: Id(3)] IReadOnlyList<ScheduledVisit> Appointments);

/// <summary>
/// An appointment with what the desk needs before the client arrives: who, what, and the checkout preview of the
/// service (whether the visit uses a credit, or what it costs). No preview for a cancelled one.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ScheduledVisit(
    [property: Id(0)] Appointment Appointment,
    [property: Id(1)] string ClientName,
    [property: Id(2)] string ServiceName,
    [property: Id(3)] MedSpa.Members.CheckoutQuote? Preview);
