using System.Collections.Immutable;
using MedSpa.Appointments;

namespace MedSpa.Grains.Appointments;

[GenerateSerializer]
public sealed record ClientAppointmentsState
{
    [Id(0)] public ImmutableDictionary<string, Appointment> Appointments { get; init; } = ImmutableDictionary<string, Appointment>.Empty;
}

/// <summary>A client's own appointments, latest state of each: a client books a few a month, so this stays small.</summary>
public sealed class ClientAppointmentsGrain(
    [PersistentState("client-appointments", StorageNames.Practice)] IPersistentState<ClientAppointmentsState> state) : Grain, IClientAppointmentsGrain
{
    public async Task RecordAsync(Appointment appointment)
    {
        if (!state.State.Appointments.TryGetValue(appointment.Id, out var known) || known != appointment)
        {
            await state.SaveAsync(state.State with { Appointments = state.State.Appointments.SetItem(appointment.Id, appointment) });
        }
    }

    public Task<IReadOnlyList<Appointment>> GetAsync() =>
        Task.FromResult<IReadOnlyList<Appointment>>(state.State.Appointments.Values.OrderBy(a => a.Start).ThenBy(a => a.Id, StringComparer.Ordinal).ToList());
}
