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
