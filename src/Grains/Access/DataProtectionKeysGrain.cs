using System.Collections.Immutable;
using MedSpa.Access;

namespace MedSpa.Grains.Access;

[GenerateSerializer]
public sealed record DataProtectionKeysState
{
    [Id(0)] public ImmutableList<DataProtectionKeyElement> Elements { get; init; } = [];
}

public sealed class DataProtectionKeysGrain(
    [PersistentState("data-protection-keys", StorageNames.Practice)] IPersistentState<DataProtectionKeysState> state) : Grain, IDataProtectionKeysGrain
{
    public Task<ImmutableArray<DataProtectionKeyElement>> ListAsync() => Task.FromResult(state.State.Elements.ToImmutableArray());

    public async Task AddAsync(DataProtectionKeyElement element)
    {
        if (state.State.Elements.All(e => e.Name != element.Name))
        {
            await state.SaveAsync(state.State with { Elements = state.State.Elements.Add(element) });
        }
    }
}
