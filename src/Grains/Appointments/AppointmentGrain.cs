using MedSpa.Appointments;
using MedSpa.Domain;
using MedSpa.Domain.Appointments;
using MedSpa.Members;
using MedSpa.Practice;

namespace MedSpa.Grains.Appointments;

[GenerateSerializer]
public sealed record AppointmentState
{
    [Id(0)] public Appointment? Current { get; init; }
}

/// <summary>
/// One appointment: remembers what was asked under its id (so a retry books once) and which day's book holds it.
/// Each change is made in that book first, then on the client's list, then here; a retry after a failure part-way
/// repeats the steps, each of which is idempotent.
/// </summary>
public sealed class AppointmentGrain(
    [PersistentState("appointment", StorageNames.Practice)] IPersistentState<AppointmentState> state,
    TimeProvider clock) : Grain, IAppointmentGrain
{
    private string Id => this.GetPrimaryKeyString();

    public async Task<Appointment> BookAsync(BookingRequest request, AppointmentSource source)
    {
        if (state.State.Current is { } booked)
        {
            return Visits.IsSameBooking(booked, request, source)
                ? booked
                : throw Reject.Conflict("appointment_id_reused", "This appointment id was already used for another booking; pick a new id.");
        }

        var (location, service) = await LookUpAsync(request.LocationId, request.ServiceId);
        await RequireBookableAsync(request.ClientId, service);
        var appointment = Visits.Book(Id, request.ClientId, location, service, request.Start, source, clock.GetUtcNow());
        return await PlaceAsync(appointment, Admission.Booking);
    }

    public async Task<Appointment> WalkInAsync(string locationId, WalkInRequest request)
    {
        if (state.State.Current is { } current)
        {
            return current.WalkIn && current.ClientId == request.ClientId && current.LocationId == locationId && current.ServiceId == request.ServiceId
                ? current
                : throw Reject.Conflict("appointment_id_reused", "This appointment id was already used for another booking; pick a new id.");
        }

        var (location, service) = await LookUpAsync(locationId, request.ServiceId);
        await RequireBookableAsync(request.ClientId, service);
        return await PlaceAsync(Visits.WalkIn(Id, request.ClientId, location, service, clock.GetUtcNow()), Admission.WalkIn);
    }

    public async Task<Appointment> UpsertExternalAsync(string system, string externalId, ExternalAppointment appointment)
    {
        Visits.RequireExternal(system, externalId);
        var (location, service) = await LookUpAsync(appointment.LocationId, appointment.ServiceId);
        await RequireClientAsync(appointment.ClientId);
        var pushed = Visits.External(state.State.Current, Id, system, externalId, appointment.ClientId, location, service, appointment.Start, clock.GetUtcNow());
        return await PlaceAsync(pushed, Admission.External);
    }

    public async Task<Appointment> MoveAsync(MoveRequest request)
    {
        var current = RequireCurrent();
        if (current.Source.Channel == BookingChannel.External)
        {
            throw ManagedExternally(current);
        }

        var (location, service) = await LookUpAsync(request.LocationId ?? current.LocationId, current.ServiceId);
        return await PlaceAsync(Visits.Move(current, location, service, request.Start), Admission.Booking);
    }

    public async Task<Appointment> CancelAsync(BookingChannel by)
    {
        var current = RequireCurrent();
        if (current.Source.Channel == BookingChannel.External && by != BookingChannel.External)
        {
            throw ManagedExternally(current);
        }

        return await RecordAsync(await Day(current).CancelAsync(Id));
    }

    public async Task<Appointment> CheckInAsync() => await RecordAsync(await Day(RequireCurrent()).CheckInAsync(Id));

    public Task<Appointment> GetAsync() => Task.FromResult(RequireCurrent());

    /// <summary>Puts the appointment in its day's book; when it changed day or location, then takes it out of the old one.</summary>
    private async Task<Appointment> PlaceAsync(Appointment appointment, Admission admission)
    {
        var placed = await Day(appointment).PlaceAsync(appointment, admission);
        if (state.State.Current is { } before && (before.Date != placed.Date || before.LocationId != placed.LocationId))
        {
            await Day(before).RemoveAsync(Id);
        }

        return await RecordAsync(placed);
    }

    private async Task<Appointment> RecordAsync(Appointment appointment)
    {
        await GrainFactory.GetGrain<IClientAppointmentsGrain>(appointment.ClientId).RecordAsync(appointment);
        if (state.State.Current != appointment)
        {
            await state.SaveAsync(state.State with { Current = appointment });
        }

        return appointment;
    }

    private Appointment RequireCurrent() =>
        state.State.Current ?? throw Reject.NotFound("appointment_not_found", "There is no appointment with this id.");

    private ILocationDayGrain Day(Appointment appointment) =>
        GrainFactory.GetGrain<ILocationDayGrain>(ILocationDayGrain.KeyOf(appointment.LocationId, appointment.Date));

    private async Task<(Location, Service)> LookUpAsync(string? locationId, string? serviceId)
    {
        var catalogue = await GrainFactory.GetGrain<IPracticeGrain>(IPracticeGrain.Key).GetCatalogueAsync();
        return (PracticeLookup.Location(catalogue, locationId), PracticeLookup.Service(catalogue, serviceId));
    }

    private async Task RequireClientAsync(string? clientId) => await Client(clientId).GetProfileAsync();

    /// <summary>
    /// The client exists and may be booked for the service: the portal and the desk both come through here, so both
    /// are refused a suspended member's included treatment with the same code. An external system's pushes are not
    /// checked: it is the source of truth for its own diary.
    /// </summary>
    private async Task RequireBookableAsync(string? clientId, Service service) => await Client(clientId).RequireBookableAsync(service);

    private IMemberGrain Client(string? clientId) =>
        clientId is null || !clientId.StartsWith("mem_", StringComparison.Ordinal) || clientId.Length > 64
            ? throw Reject.NotFound("member_not_found", "There is no client with this id.")
            : GrainFactory.GetGrain<IMemberGrain>(clientId);

    private static CommandRejectedException ManagedExternally(Appointment appointment) => Reject.Conflict("managed_externally",
        $"This appointment belongs to {appointment.Source.System}; change or cancel it there, and it will be pushed here.");
}
