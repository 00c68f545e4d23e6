using System.Collections.Immutable;
using MedSpa.Plans;
using Orleans.Concurrency;

namespace MedSpa.Grains.Plans;

[GenerateSerializer]
public sealed record PlanRosterState
{
    [Id(0)] public ImmutableList<string> Members { get; init; } = [];
}

/// <summary>
/// The front of a plan's sharded roster: an enrolment goes to the slice of the member's id, a read gathers every slice
/// and the roster stored before sharding. It holds nothing, so every silo runs its own copies. Its grain type is not the
/// old "planroster", which now names <see cref="LegacyPlanRosterGrain"/> so that the state stored before can still be read.
/// </summary>
[StatelessWorker]
[GrainType("planrosterfront")]
public sealed class PlanRosterGrain : Grain, IPlanRosterGrain
{
    private string PlanId => this.GetPrimaryKeyString();

    public Task JoinAsync(string memberId) =>
        GrainFactory.GetGrain<IPlanRosterShardGrain>(IPlanRosterShardGrain.KeyOf(PlanId, memberId)).JoinAsync(memberId);

    public async Task<string[]> GetMembersAsync()
    {
        var lists = await Task.WhenAll(IPlanRosterShardGrain.KeysOf(PlanId)
            .Select(key => GrainFactory.GetGrain<IPlanRosterShardGrain>(key).GetMembersAsync())
            .Append(GrainFactory.GetGrain<ILegacyPlanRosterGrain>(PlanId).GetMembersAsync()));
        return [.. lists.SelectMany(members => members).Distinct(StringComparer.Ordinal)];
    }
}

/// <summary>The members of one slice of a plan's roster (<see cref="IPlanRosterShardGrain.KeyOf"/>).</summary>
public sealed class PlanRosterShardGrain(
    [PersistentState("plan-roster-shard", StorageNames.Practice)] IPersistentState<PlanRosterState> state) : Grain, IPlanRosterShardGrain
{
    public async Task JoinAsync(string memberId)
    {
        if (!state.State.Members.Contains(memberId))
        {
            await state.SaveAsync(state.State with { Members = state.State.Members.Add(memberId) });
        }
    }

    public Task<string[]> GetMembersAsync() => Task.FromResult(state.State.Members.ToArray());
}

/// <summary>The roster stored before sharding: same grain type and state name as then, so it reads the same row.</summary>
[GrainType("planroster")]
public sealed class LegacyPlanRosterGrain(
    [PersistentState("plan-roster", StorageNames.Practice)] IPersistentState<PlanRosterState> state) : Grain, ILegacyPlanRosterGrain
{
    public Task<string[]> GetMembersAsync() => Task.FromResult((state.State.Members ?? []).ToArray());
}
