using MedSpa.Appointments;
using MedSpa.Practice;

namespace MedSpa.Web.Appointments;

/// <summary>What the schedule's endpoints and pages share: finding the grains, and a location's "today".</summary>
public static class Schedule
{
    /// <summary>The appointment a caller names; an id that cannot be one is refused without activating a grain.</summary>
    public static IAppointmentGrain Appointment(IGrainFactory grains, string? id) =>
        IAppointmentGrain.IsWellFormedId(id) || id?.StartsWith("apt-ext:", StringComparison.Ordinal) == true
            ? grains.GetGrain<IAppointmentGrain>(id!)
            : throw new CommandRejectedException(RejectionKind.NotFound, "appointment_not_found", "There is no appointment with this id.");

    /// <summary>A new appointment's id: the caller picks it, so a retried request books once.</summary>
    public static IAppointmentGrain NewAppointment(IGrainFactory grains, string? id) =>
        IAppointmentGrain.IsWellFormedId(id)
            ? grains.GetGrain<IAppointmentGrain>(id!)
            : throw new CommandRejectedException(RejectionKind.Invalid, "invalid_appointment_id",
                "An appointment id is \"apt_\" followed by 1 to 60 letters or digits, chosen by the caller so that a retry books once.");

    public static IAppointmentGrain External(IGrainFactory grains, string system, string externalId) =>
        grains.GetGrain<IAppointmentGrain>(IAppointmentGrain.ExternalKey(system, externalId));

    public static ILocationDayGrain Day(IGrainFactory grains, string locationId, DateOnly date) =>
        grains.GetGrain<ILocationDayGrain>(ILocationDayGrain.KeyOf(locationId, date));

    public static async Task<Location> LocationAsync(IGrainFactory grains, string locationId) =>
        (await grains.GetGrain<IPracticeGrain>(IPracticeGrain.Key).GetCatalogueAsync()).Locations.FirstOrDefault(l => l.Id == locationId)
            ?? throw new CommandRejectedException(RejectionKind.NotFound, "location_not_found", $"There is no location \"{locationId}\".");

    /// <summary>Today's date where the location is, on the practice clock.</summary>
    public static DateOnly Today(Location location, TimeProvider clock) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById(location.TimeZone)).DateTime);

    /// <summary>A location's local time of an instant, for pages.</summary>
    public static DateTimeOffset LocalTime(Location location, DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, TimeZoneInfo.FindSystemTimeZoneById(location.TimeZone));

    /// <summary>The instant of a wall-clock time at the location, as the desk and the member type it.</summary>
    public static DateTimeOffset Instant(Location location, DateOnly date, TimeOnly time)
    {
        var local = date.ToDateTime(time);
        return new DateTimeOffset(local, TimeZoneInfo.FindSystemTimeZoneById(location.TimeZone).GetUtcOffset(local));
    }
}
