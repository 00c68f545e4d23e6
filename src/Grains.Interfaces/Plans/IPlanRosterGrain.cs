using Orleans.Concurrency;

namespace MedSpa.Plans;

/// <summary>
/// Who may be on a plan (key: the plan id): every member who enrolled on it or moved to it. A member who has left it
/// stays listed; the member grain is asked and says whether the plan still concerns them, so the roster never has to
/// be exact, only never short.
/// </summary>
public interface IPlanRosterGrain : IGrainWithStringKey
{
    /// <summary>Lists the member; listing them again changes nothing.</summary>
    Task JoinAsync(string memberId);

    [ReadOnly]
    Task<string[]> GetMembersAsync();
}

/// <summary>
/// One slice of a plan's roster: the members whose id hashes to it (<see cref="KeyOf"/>). An enrolment rewrites one
/// slice's state, not the whole roster, which at thousands of members made every enrolment slower than the last.
/// Only <see cref="IPlanRosterGrain"/> calls it.
/// </summary>
public interface IPlanRosterShardGrain : IGrainWithStringKey
{
    /// <summary>
    /// Fixed: part of the stored layout (each slice holds the members that hash to it). 32 keeps a slice to a few
    /// thousand ids at 100,000 members on one plan, while a price increase still reads few enough grains.
    /// </summary>
    const int Count = 32;

    /// <summary>The slice of <paramref name="planId"/>'s roster that lists <paramref name="memberId"/>.</summary>
    static string KeyOf(string planId, string memberId) => $"{planId}/{StableHash.Of(memberId) % Count}";

    /// <summary>Every slice of <paramref name="planId"/>'s roster.</summary>
    static IEnumerable<string> KeysOf(string planId) => Enumerable.Range(0, Count).Select(shard => $"{planId}/{shard}");

    /// <inheritdoc cref="IPlanRosterGrain.JoinAsync"/>
    Task JoinAsync(string memberId);

    [ReadOnly]
    Task<string[]> GetMembersAsync();
}

/// <summary>
/// A plan's roster as one grain stored it before it was sharded (state "plan-roster" of grain "planroster/{planId}"):
/// still read, so nobody listed then is missed, and never written again.
/// </summary>
public interface ILegacyPlanRosterGrain : IGrainWithStringKey
{
    [ReadOnly]
    Task<string[]> GetMembersAsync();
}
