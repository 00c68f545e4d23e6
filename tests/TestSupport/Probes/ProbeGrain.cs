using System.Collections.Immutable;
using MedSpa.Grains;

namespace MedSpa.Tests.Probes;

/// <summary>
/// A grain that exercises the infrastructure and nothing else: durable state through the practice storage
/// provider, a reminder that records which silo fired it, and its activation's identity.
/// </summary>
public interface IProbeGrain : IGrainWithStringKey
{
    Task<ProbeIdentity> IdentifyAsync();

    Task SetNoteAsync(string note);

    Task<ProbeState> GetStateAsync();

    Task ArmReminderAsync(TimeSpan due, TimeSpan period);

    Task DisarmReminderAsync();
}

[GenerateSerializer, Immutable]
public sealed record ProbeIdentity([property: Id(0)] Guid Activation, [property: Id(1)] string Silo);

[GenerateSerializer, Immutable]
public sealed record ProbeTick([property: Id(0)] string Silo, [property: Id(1)] DateTimeOffset At);

[GenerateSerializer, Immutable]
public sealed record ProbeState
{
    [Id(0)] public string? Note { get; init; }

    [Id(1)] public ImmutableList<ProbeTick> Ticks { get; init; } = [];
}

public sealed class ProbeGrain(
    [PersistentState("probe", StorageNames.Practice)] IPersistentState<ProbeState> state,
    TimeProvider clock) : Grain, IProbeGrain, IRemindable
{
    private const string ReminderName = "probe";
    private readonly Guid _activation = Guid.NewGuid();

    public Task<ProbeIdentity> IdentifyAsync() => Task.FromResult(new ProbeIdentity(_activation, RuntimeIdentity));

    public async Task SetNoteAsync(string note)
    {
        state.State = state.State with { Note = note };
        await state.WriteStateAsync();
    }

    public Task<ProbeState> GetStateAsync() => Task.FromResult(state.State);

    public Task ArmReminderAsync(TimeSpan due, TimeSpan period) => this.RegisterOrUpdateReminder(ReminderName, due, period);

    public async Task DisarmReminderAsync()
    {
        if (await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        state.State = state.State with { Ticks = state.State.Ticks.Add(new ProbeTick(RuntimeIdentity, clock.GetUtcNow())) };
        await state.WriteStateAsync();
    }
}
