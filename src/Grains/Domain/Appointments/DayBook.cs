using System.Collections.Immutable;
using MedSpa.Appointments;

namespace MedSpa.Domain.Appointments;

/// <summary>
/// One location's appointments on one local date, and the rules for changing them: bookings and moves inside opening
/// hours, on a slot, not in the past and within capacity; walk-ins and other systems' appointments as they come.
/// Every change by appointment id, so the same change twice is the same book.
/// </summary>
public sealed record DayBook(ImmutableList<Appointment> Appointments)
{
    public static DayBook Empty { get; } = new([]);

    public Appointment? Find(string appointmentId) => Appointments.FirstOrDefault(a => a.Id == appointmentId);

    /// <summary>
    /// Adds <paramref name="appointment"/>, or replaces the one with its id, once it passes <paramref name="admission"/>'s
    /// rules. Placing what is already there changes nothing, so a retry after a lost answer is not judged again.
    /// </summary>
    public (DayBook Book, Appointment Placed) Place(Appointment appointment, Admission admission, LocationCalendar calendar, DateTimeOffset now)
    {
        var existing = Find(appointment.Id);
        if (existing is not null && SameVisit(existing, appointment))
        {
            return (this, existing);
        }

        if (admission == Admission.Booking)
        {
            if (appointment.Start < now)
            {
                throw Reject.Conflict("in_the_past", "That time has already passed; pick a later one.");
            }

            if (!calendar.IsBookable(appointment.Start, appointment.End))
            {
                throw Reject.Conflict("outside_opening_hours",
                    "The location is not open for the whole of that appointment at that time, or it does not start on a slot; pick one of the available times.");
            }

            var others = Active.Where(a => a.Id != appointment.Id);
            if (MostOverlapping(others, appointment.Start, appointment.End) >= calendar.Hours.Capacity)
            {
                throw Reject.Conflict("slot_full", "Every place is taken at that time; pick another time.");
            }
        }

        var placed = existing is null ? appointment : appointment with { BookedAt = existing.BookedAt };
        var rest = existing is null ? Appointments : Appointments.Remove(existing);
        return (new DayBook(rest.Add(placed).Sort(InTimeOrder)), placed);
    }

    /// <summary>Takes an appointment out (it moved to another day or location).</summary>
    public DayBook Remove(string appointmentId) => Find(appointmentId) is { } found ? new DayBook(Appointments.Remove(found)) : this;

    public (DayBook Book, Appointment Cancelled) Cancel(string appointmentId, DateTimeOffset now)
    {
        var appointment = Require(appointmentId);
        return appointment.Status switch
        {
            AppointmentStatus.Cancelled => (this, appointment),
            AppointmentStatus.CheckedIn => throw Reject.Conflict("already_checked_in", "The client has already been checked in; this visit can no longer be cancelled."),
            _ => Replace(appointment, appointment with { Status = AppointmentStatus.Cancelled, CancelledAt = now }),
        };
    }

    public (DayBook Book, Appointment CheckedIn) CheckIn(string appointmentId, DateTimeOffset now)
    {
        var appointment = Require(appointmentId);
        return appointment.Status switch
        {
            AppointmentStatus.CheckedIn => (this, appointment),
            AppointmentStatus.Cancelled => throw Reject.Conflict("appointment_cancelled", "This appointment was cancelled; check the client in as a walk-in instead."),
            _ => Replace(appointment, appointment with { Status = AppointmentStatus.CheckedIn, CheckedInAt = now }),
        };
    }

    /// <summary>The slots of the day a service of <paramref name="duration"/> can still be booked in, none in the past.</summary>
    public IReadOnlyList<AvailableSlot> Availability(DateOnly date, TimeSpan duration, LocationCalendar calendar, DateTimeOffset now) =>
        calendar.SlotStarts(date, duration)
            .Where(start => start >= now)
            .Select(start => new AvailableSlot(start, start + duration, calendar.Hours.Capacity - MostOverlapping(Active, start, start + duration)))
            .Where(slot => slot.Remaining > 0)
            .ToList();

    private IEnumerable<Appointment> Active => Appointments.Where(a => a.Status != AppointmentStatus.Cancelled);

    /// <summary>The most of <paramref name="appointments"/> running at any one moment of [start, end).</summary>
    private static int MostOverlapping(IEnumerable<Appointment> appointments, DateTimeOffset start, DateTimeOffset end)
    {
        var overlapping = appointments.Where(a => a.Start < end && start < a.End).ToList();
        // The count only rises where one of them starts, so those instants (and the start itself) are the ones to check.
        return overlapping.Select(a => a.Start).Where(t => t > start).Prepend(start)
            .Select(t => overlapping.Count(a => a.Start <= t && t < a.End))
            .DefaultIfEmpty(0)
            .Max();
    }

    private Appointment Require(string appointmentId) =>
        Find(appointmentId) ?? throw Reject.NotFound("appointment_not_found", "There is no such appointment on this day.");

    private (DayBook, Appointment) Replace(Appointment before, Appointment after) =>
        (new DayBook(Appointments.Replace(before, after)), after);

    private static bool SameVisit(Appointment a, Appointment b) =>
        a.Status == b.Status && a.ClientId == b.ClientId && a.LocationId == b.LocationId && a.ServiceId == b.ServiceId && a.Start == b.Start && a.End == b.End
        && a.Source == b.Source && a.WalkIn == b.WalkIn;

    private static int InTimeOrder(Appointment a, Appointment b) =>
        a.Start != b.Start ? a.Start.CompareTo(b.Start) : string.CompareOrdinal(a.Id, b.Id);
}
