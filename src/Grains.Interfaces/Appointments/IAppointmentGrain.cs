using Orleans.Concurrency;

namespace MedSpa.Appointments;

/// <summary>
/// One appointment by id (<c>apt_…</c>, or <c>apt-ext:{system}:{externalId}</c> for one pushed by another system):
/// where it is and what it is now. Every change goes through here, so repeating a request with the same id is
/// recognised, and the change is then made in the book of the location-day that holds it.
/// </summary>
public interface IAppointmentGrain : IGrainWithStringKey
{
    /// <summary>Whether <paramref name="id"/> is one a caller may pick: <c>apt_</c> and 1 to 60 letters or digits (never all-hex).</summary>
    static bool IsWellFormedId(string? id) =>
        id is { Length: > 4 and <= 64 } && id.StartsWith("apt_", StringComparison.Ordinal) && id[4..].All(char.IsAsciiLetterOrDigit);

    /// <summary>
    /// The key of another system's appointment: derived from the system and its own id, so pushing it again finds the
    /// same appointment, and unlike any id a caller can pick.
    /// </summary>
    static string ExternalKey(string system, string externalId) => $"apt-ext:{system}:{externalId}";

    /// <summary>
    /// Books the appointment inside opening hours, on a slot, not in the past, within capacity. The same request again
    /// returns the same appointment; the id with another request is 409 <c>appointment_id_reused</c>.
    /// </summary>
    Task<Appointment> BookAsync(BookingRequest request, AppointmentSource source);

    /// <summary>Checks a client in who arrived without a booking: an appointment starting now, allowed over capacity.</summary>
    Task<Appointment> WalkInAsync(string locationId, WalkInRequest request);

    /// <summary>Creates or updates the appointment an outside system pushed, as it says: never refused for capacity or hours.</summary>
    Task<Appointment> UpsertExternalAsync(string system, string externalId, ExternalAppointment appointment);

    /// <summary>Moves a booked appointment under the same rules as booking it. 409 <c>managed_externally</c> for a pushed one.</summary>
    Task<Appointment> MoveAsync(MoveRequest request);

    /// <summary>
    /// Cancels; cancelling again changes nothing. 409 <c>already_checked_in</c>; <c>managed_externally</c> when another
    /// system owns it and <paramref name="by"/> is not that system.
    /// </summary>
    Task<Appointment> CancelAsync(BookingChannel by);

    /// <summary>Checks the client in; again changes nothing. 409 <c>appointment_cancelled</c>.</summary>
    Task<Appointment> CheckInAsync();

    /// <summary>404 <c>appointment_not_found</c>.</summary>
    [ReadOnly]
    Task<Appointment> GetAsync();
}

/// <summary>
/// The book of one location on one local date (key <c>{locationId}:{yyyy-MM-dd}</c>). All changes to a day pass
/// through it one at a time, so two bookings racing for the last place cannot both win; history grows by days, not
/// in one state.
/// </summary>
public interface ILocationDayGrain : IGrainWithStringKey
{
    static string KeyOf(string locationId, DateOnly date) =>
        $"{locationId}:{date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>Adds or replaces the appointment (same id) after checking it as <paramref name="admission"/> says.</summary>
    Task<Appointment> PlaceAsync(Appointment appointment, Admission admission);

    /// <summary>Takes the appointment out of this day: it moved to another day or location. Nothing when it is not here.</summary>
    Task RemoveAsync(string appointmentId);

    Task<Appointment> CancelAsync(string appointmentId);

    Task<Appointment> CheckInAsync(string appointmentId);

    /// <summary>The day's appointments in time order, cancelled ones included.</summary>
    [ReadOnly]
    Task<IReadOnlyList<Appointment>> GetAppointmentsAsync();

    /// <summary>The day's appointments with each client's name and checkout preview of the service.</summary>
    [ReadOnly]
    Task<DaySchedule> GetScheduleAsync();

    /// <summary>The free starts for a service, none in the past.</summary>
    [ReadOnly]
    Task<IReadOnlyList<AvailableSlot>> GetAvailabilityAsync(string serviceId);
}

/// <summary>Which rules an appointment must pass to enter a day's book.</summary>
public enum Admission
{
    /// <summary>A booking or a move: opening hours, a slot start, not in the past, within capacity.</summary>
    Booking,

    /// <summary>A client at the desk now: allowed over capacity and at any time.</summary>
    WalkIn,

    /// <summary>Another system's appointment: that system decides, so nothing is refused.</summary>
    External,
}

/// <summary>A client's appointments (key: the client's <c>mem_…</c> id), for their history and the portal.</summary>
public interface IClientAppointmentsGrain : IGrainWithStringKey
{
    /// <summary>Keeps the latest state of one of the client's appointments.</summary>
    Task RecordAsync(Appointment appointment);

    /// <summary>All of them, soonest first.</summary>
    [ReadOnly]
    Task<IReadOnlyList<Appointment>> GetAsync();
}
