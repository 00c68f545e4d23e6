using System.Collections.Immutable;
using MedSpa.Access;
using MedSpa.Domain;

namespace MedSpa.Grains.Access;

[GenerateSerializer]
public sealed record ApiKeysState
{
    [Id(0)] public ImmutableDictionary<string, ApiKeyHolder> ByHash { get; init; } = ImmutableDictionary<string, ApiKeyHolder>.Empty;
}

public sealed class ApiKeyGrain(
    [PersistentState("api-keys", StorageNames.Practice)] IPersistentState<ApiKeysState> state,
    TimeProvider clock) : Grain, IApiKeyGrain
{
    public const int MaxNameLength = 100;

    public async Task EnsureAsync(ApiKeyRegistration registration)
    {
        if (!state.State.ByHash.ContainsKey(registration.KeyHash))
        {
            await AddAsync(registration);
        }
    }

    public async Task<ApiKeyHolder> AddAsync(ApiKeyRegistration registration)
    {
        var name = registration.Name?.Trim() ?? "";
        if (name.Length is 0 or > MaxNameLength)
        {
            throw Reject.Invalid("invalid_name", $"A key needs a name of 1 to {MaxNameLength} characters, saying who uses it.");
        }

        if (!Enum.IsDefined(registration.Role))
        {
            throw Reject.Invalid("invalid_role", "The role is admin, front_desk or provider.");
        }

        if (state.State.ByHash.ContainsKey(registration.KeyHash))
        {
            throw Reject.Conflict("api_key_exists", "This key is already registered.");
        }

        var now = clock.GetUtcNow();
        var holder = new ApiKeyHolder(name, registration.Role) { Id = Identifiers.New("key", now), CreatedAt = now };
        await state.SaveAsync(state.State with { ByHash = state.State.ByHash.Add(registration.KeyHash, holder) });
        return holder;
    }

    public async Task<string> RevokeAsync(string id)
    {
        var (hash, _) = state.State.ByHash.FirstOrDefault(k => k.Value.Id == id);
        if (hash is null)
        {
            throw Reject.NotFound("api_key_not_found", "There is no API key with this id.");
        }

        await state.SaveAsync(state.State with { ByHash = state.State.ByHash.Remove(hash) });
        return hash;
    }

    public Task<ImmutableArray<ApiKeyHolder>> ListAsync() =>
        Task.FromResult(state.State.ByHash.Values.OrderBy(k => k.CreatedAt).ToImmutableArray());

    public Task<ApiKeyHolder?> FindAsync(string keyHash) =>
        Task.FromResult(state.State.ByHash.GetValueOrDefault(keyHash));
}
