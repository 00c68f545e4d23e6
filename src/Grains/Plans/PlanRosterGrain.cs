using System.Collections.Immutable;
using MedSpa.Plans;

namespace MedSpa.Grains.Plans;

[GenerateSerializer]
public sealed record PlanRosterState
{
    [Id(0)] public ImmutableList<string> Members { get; init; } = [];
}

/// <summary>Who may be on one plan, for telling its members of a price change. Never short; a member who left is filtered by the member grain.</summary>
public sealed class PlanRosterGrain(
    [PersistentState("plan-roster", StorageNames.Practice)] IPersistentState<PlanRosterState> state) : Grain, IPlanRosterGrain
{
    public async Task JoinAsync(string memberId)
    {
        var members = state.State.Members ?? [];
        if (!members.Contains(memberId))
        {
            await state.SaveAsync(state.State with { Members = members.Add(memberId) });
        }
    }

    public Task<string[]> GetMembersAsync() => Task.FromResult((state.State.Members ?? []).ToArray());
}
