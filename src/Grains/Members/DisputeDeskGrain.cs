using System.Collections.Immutable;
using MedSpa.Members;

namespace MedSpa.Grains.Members;

[GenerateSerializer]
public sealed record DisputeDeskState
{
    [Id(0)] public ImmutableDictionary<string, DisputeView> Disputes { get; init; } = ImmutableDictionary<string, DisputeView>.Empty;
}

/// <summary>The practice-wide dispute list staff work from; member grains keep it up to date.</summary>
public sealed class DisputeDeskGrain(
    [PersistentState("dispute-desk", StorageNames.Practice)] IPersistentState<DisputeDeskState> state) : Grain, IDisputeDeskGrain
{
    public async Task RecordAsync(DisputeView dispute)
    {
        ArgumentNullException.ThrowIfNull(dispute);
        if (state.State.Disputes.TryGetValue(dispute.DisputeId, out var known) && known == dispute)
        {
            return;
        }

        await state.SaveAsync(state.State with { Disputes = state.State.Disputes.SetItem(dispute.DisputeId, dispute) });
    }

    public Task<DisputeView[]> ListAsync(bool openOnly) => Task.FromResult(state.State.Disputes.Values
        .Where(d => !openOnly || d.IsOpen)
        .OrderByDescending(d => d.OpenedAt)
        .ThenBy(d => d.DisputeId, StringComparer.Ordinal)
        .ToArray());
}
