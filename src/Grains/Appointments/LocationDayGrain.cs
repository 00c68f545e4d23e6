using System.Collections.Immutable;
using MedSpa.Appointments;
using MedSpa.Domain.Appointments;
using MedSpa.Live;
using MedSpa.Members;
using MedSpa.Practice;
using Microsoft.Extensions.Logging;

namespace MedSpa.Grains.Appointments;

[GenerateSerializer]
public sealed record LocationDayState
{
    [Id(0)] public ImmutableList<Appointment> Appointments { get; init; } = [];
}

/// <summary>
/// One location's book for one local date. A grain handles one call at a time, so the capacity check and the write
/// that follows it are never interleaved with another booking of the same day.
/// </summary>
public sealed class LocationDayGrain(
    [PersistentState("location-day", StorageNames.Practice)] IPersistentState<LocationDayState> state,
    TimeProvider clock,
    ILogger<LocationDayGrain> logger) : Grain, ILocationDayGrain
{
    private DayBook Book => new(state.State.Appointments);

    public async Task<Appointment> PlaceAsync(Appointment appointment, Admission admission)
    {
        var (book, placed) = Book.Place(appointment, admission, await CalendarAsync(), clock.GetUtcNow());
        await SaveAsync(book, placed);
        return placed;
    }

    public async Task RemoveAsync(string appointmentId)
    {
        if (Book.Find(appointmentId) is { } moved)
        {
            await SaveAsync(Book.Remove(appointmentId), moved);
        }
    }

    public async Task<Appointment> CancelAsync(string appointmentId)
    {
        var (book, cancelled) = Book.Cancel(appointmentId, clock.GetUtcNow());
        await SaveAsync(book, cancelled);
        return cancelled;
    }

    public async Task<Appointment> CheckInAsync(string appointmentId)
    {
        var (book, checkedIn) = Book.CheckIn(appointmentId, clock.GetUtcNow());
        await SaveAsync(book, checkedIn);
        return checkedIn;
    }

    public Task<IReadOnlyList<Appointment>> GetAppointmentsAsync() => Task.FromResult<IReadOnlyList<Appointment>>(state.State.Appointments);

    public async Task<DaySchedule> GetScheduleAsync()
    {
        var catalogue = await Practice.GetCatalogueAsync();
        var (locationId, date) = ParseKey();
        var location = PracticeLookup.Location(catalogue, locationId);
        var visits = await Task.WhenAll(state.State.Appointments.Select(async appointment =>
        {
            var client = GrainFactory.GetGrain<IMemberGrain>(appointment.ClientId);
            var profile = await client.GetProfileAsync();
            var service = catalogue.Services.FirstOrDefault(s => s.Id == appointment.ServiceId);
            // The same pricing the checkout will use, so the desk sees before the visit whether it uses a credit.
            var preview = appointment.Status == AppointmentStatus.Cancelled
                ? null
                : await client.PreviewCheckoutAsync(new Basket(new[] { new BasketItem(appointment.ServiceId) }));
            return new ScheduledVisit(appointment, profile.FullName, service?.Name ?? appointment.ServiceId, preview);
        }));
        return new DaySchedule(location.Id, date, location.TimeZone, visits);
    }

    public async Task<IReadOnlyList<AvailableSlot>> GetAvailabilityAsync(string serviceId)
    {
        var catalogue = await Practice.GetCatalogueAsync();
        var (locationId, date) = ParseKey();
        var calendar = LocationCalendar.Of(PracticeLookup.Location(catalogue, locationId));
        var duration = TimeSpan.FromMinutes(PracticeLookup.Service(catalogue, serviceId).DurationMinutes);
        return Book.Availability(date, duration, calendar, clock.GetUtcNow());
    }

    /// <summary>The location and date of this book, from its key (<see cref="ILocationDayGrain.KeyOf"/>).</summary>
    private (string LocationId, DateOnly Date) ParseKey()
    {
        var key = this.GetPrimaryKeyString();
        var split = key.LastIndexOf(':');
        return (key[..split], DateOnly.ParseExact(key[(split + 1)..], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
    }

    private IPracticeGrain Practice => GrainFactory.GetGrain<IPracticeGrain>(IPracticeGrain.Key);

    private async Task<LocationCalendar> CalendarAsync()
    {
        var (locationId, _) = ParseKey();
        return LocationCalendar.Of(PracticeLookup.Location(await Practice.GetCatalogueAsync(), locationId));
    }

    private async Task SaveAsync(DayBook book, Appointment changed)
    {
        if (book.Appointments == state.State.Appointments)
        {
            return;
        }

        await state.SaveAsync(state.State with { Appointments = book.Appointments });
        await AnnounceAsync(changed, book.Find(changed.Id) is null);
    }

    /// <summary>
    /// The one place a change to the schedule is announced, after it is stored: every dashboard showing this location's
    /// day is told over SignalR. <paramref name="left"/>: it moved to another day or place.
    /// </summary>
    private Task AnnounceAsync(Appointment changed, bool left)
    {
        logger.LogInformation("Appointment {AppointmentId} of {ClientId} at {LocationId} on {Date}: {Status}{Left}",
            changed.Id, changed.ClientId, changed.LocationId, changed.Date, changed.Status, left ? " (moved away)" : "");
        // One-way: a slow or vanished web node never holds up the booking.
        return GrainFactory.GetGrain<ILiveHubGrain>(ILiveHubGrain.Key).PublishScheduleChangedAsync(new ScheduleChange(changed.LocationId, changed.Date));
    }
}
