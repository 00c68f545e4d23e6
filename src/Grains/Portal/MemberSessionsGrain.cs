using System.Security.Cryptography;
using MedSpa.Portal;

namespace MedSpa.Grains.Portal;

[GenerateSerializer]
public sealed record MemberSessionsState
{
    [Id(0)] public string? Stamp { get; init; }
}

/// <summary>
/// A member's current session stamp, persisted so a restart does not revive ended sessions nor end good ones. The stamp
/// is random: it says nothing, and only matching it matters.
/// </summary>
public sealed class MemberSessionsGrain(
    [PersistentState("member-sessions", StorageNames.Practice)] IPersistentState<MemberSessionsState> state) : Grain, IMemberSessionsGrain
{
    public async Task<string> OpenAsync()
    {
        if (state.State.Stamp is null)
        {
            await ReplaceAsync();
        }

        return state.State.Stamp!;
    }

    public Task<bool> IsCurrentAsync(string stamp) =>
        Task.FromResult(state.State.Stamp is { } current && CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(current), System.Text.Encoding.UTF8.GetBytes(stamp ?? "")));

    public Task EndAllAsync() => ReplaceAsync();

    private Task ReplaceAsync()
    {
        state.State = state.State with { Stamp = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)) };
        return state.WriteStateAsync();
    }
}
