using System.Collections.Immutable;
using MedSpa.Access;

namespace MedSpa.Grains.Access;

[GenerateSerializer]
public sealed record ApiKeysState
{
    [Id(0)] public ImmutableDictionary<string, ApiKeyHolder> ByHash { get; init; } = ImmutableDictionary<string, ApiKeyHolder>.Empty;
}

public sealed class ApiKeyGrain(
    [PersistentState("api-keys", StorageNames.Practice)] IPersistentState<ApiKeysState> state) : Grain, IApiKeyGrain
{
    public async Task EnsureAsync(ApiKeyRegistration registration)
    {
        if (state.State.ByHash.ContainsKey(registration.KeyHash))
        {
            return;
        }

        await state.SaveAsync(state.State with
        {
            ByHash = state.State.ByHash.Add(registration.KeyHash, new ApiKeyHolder(registration.Name, registration.Role)),
        });
    }

    public Task<ApiKeyHolder?> FindAsync(string keyHash) =>
        Task.FromResult(state.State.ByHash.GetValueOrDefault(keyHash));
}
