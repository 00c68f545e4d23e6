using MedSpa.Domain.Plans;
using MedSpa.Plans;
using MedSpa.Practice;
using Orleans.Concurrency;

namespace MedSpa.Grains.Plans;

/// <summary>Holds nothing: it names new plans and gathers the registered ones, so any silo can serve it locally.</summary>
[StatelessWorker]
public sealed class PlanDirectoryGrain : Grain, IPlanDirectoryGrain
{
    public Task<Plan> CreateAsync(PlanTerms terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        return GrainFactory.GetGrain<IPlanGrain>(PlanRules.IdFor(terms.Name)).CreateAsync(terms);
    }

    public async Task<IReadOnlyList<Plan>> ListAsync()
    {
        var catalogue = await GrainFactory.GetGrain<IPracticeGrain>(IPracticeGrain.Key).GetCatalogueAsync();
        var plans = await Task.WhenAll(catalogue.PlanIds.Select(FindAsync));
        return plans.OfType<Plan>()
            .OrderBy(p => p.Current.Terms.Name, StringComparer.OrdinalIgnoreCase)
            .ThenBy(p => p.Id, StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>Null for an id registered by a creation that failed before the plan was saved.</summary>
    private async Task<Plan?> FindAsync(string planId)
    {
        try
        {
            return await GrainFactory.GetGrain<IPlanGrain>(planId).GetAsync();
        }
        catch (CommandRejectedException refusal) when (refusal.Kind == RejectionKind.NotFound)
        {
            return null;
        }
    }
}
