using System.Collections.Immutable;
using MedSpa.Domain.Plans;
using MedSpa.Plans;
using MedSpa.Practice;

namespace MedSpa.Grains.Plans;

[GenerateSerializer]
public sealed record PlanState
{
    /// <summary>Null until the plan is created.</summary>
    [Id(0)] public Plan? Plan { get; init; }

    /// <summary>Price increases scheduled on the plan, oldest first.</summary>
    [Id(1)] public ImmutableList<ScheduledPriceChange> PriceChanges { get; init; } = [];
}

public sealed class PlanGrain(
    [PersistentState("plan", StorageNames.Practice)] IPersistentState<PlanState> state,
    TimeProvider clock) : Grain, IPlanGrain
{
    private string Id => this.GetPrimaryKeyString();

    private IPracticeGrain Practice => GrainFactory.GetGrain<IPracticeGrain>(IPracticeGrain.Key);

    public async Task<Plan> CreateAsync(PlanTerms terms)
    {
        var plan = PlanHistory.Create(state.State.Plan, Id, terms, await Practice.GetCatalogueAsync(), clock.GetUtcNow());
        // Listed before it is saved: a failure in between leaves an id the list skips, never a plan nobody can find.
        await Practice.RegisterPlanAsync(plan.Id);
        await state.SaveAsync(state.State with { Plan = plan });
        return plan;
    }

    public async Task<Plan> ReviseAsync(PlanTerms terms)
    {
        var current = PlanHistory.Require(state.State.Plan, Id);
        var revised = PlanHistory.Revise(current, Id, terms, await Practice.GetCatalogueAsync(), clock.GetUtcNow());
        if (!ReferenceEquals(revised, current))
        {
            await state.SaveAsync(state.State with { Plan = revised });
        }

        return revised;
    }

    public Task<Plan> GetAsync() => Task.FromResult(PlanHistory.Require(state.State.Plan, Id));

    public async Task<ScheduledPriceChange> SchedulePriceChangeAsync(PriceChangeRequest request)
    {
        var plan = PlanHistory.Require(state.State.Plan, Id);
        var changes = state.State.PriceChanges ?? [];
        var (change, isNew) = PlanPriceChanges.Schedule(plan, changes, request, clock.GetUtcNow());
        if (isNew)
        {
            await state.SaveAsync(state.State with { PriceChanges = changes.Add(change) });
        }

        return change;
    }

    public Task<ScheduledPriceChange[]> GetPriceChangesAsync()
    {
        PlanHistory.Require(state.State.Plan, Id);
        return Task.FromResult((state.State.PriceChanges ?? []).ToArray());
    }
}
