using Orleans.Concurrency;

namespace MedSpa.Plans;

/// <summary>
/// The practice's tiers as a whole: creates a plan under the id its name gives (<c>VIP Plus</c> → <c>plan_vip-plus</c>)
/// and lists them all. Callers outside the cluster cannot derive that id themselves, which is why creation comes here.
/// </summary>
public interface IPlanDirectoryGrain : IGrainWithStringKey
{
    const string Key = "practice";

    /// <summary>Creates the plan named by <see cref="PlanTerms.Name"/>. 409 <c>plan_exists</c> when that id is taken.</summary>
    Task<Plan> CreateAsync(PlanTerms terms);

    /// <summary>Every plan, ordered by the name of its current version.</summary>
    [ReadOnly]
    Task<IReadOnlyList<Plan>> ListAsync();
}
