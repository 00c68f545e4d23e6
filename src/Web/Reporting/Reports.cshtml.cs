using System.Text.Json;
using MedSpa.Members;
using MedSpa.Plans;
using MedSpa.Web.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MedSpa.Web.Reporting;

/// <summary>
/// <c>/reports</c>: what can be counted honestly from the grains today, members by plan and status, asked of each
/// member on each plan's roster. MRR, churn and utilisation need the reporting issue's projections.
/// </summary>
[Authorize(Policy = StaffAccess.Admin)]
public sealed class ReportsModel(IGrainFactory grains) : PageModel
{
    /// <summary>Members asked at once; each is its own grain, possibly on another silo.</summary>
    private const int Parallelism = 16;

    /// <summary>The statuses counted, in the order a membership moves through them.</summary>
    public static IReadOnlyList<MembershipStatus> Statuses { get; } =
        [MembershipStatus.PendingPayment, MembershipStatus.Active, MembershipStatus.Paused, MembershipStatus.PastDue, MembershipStatus.Suspended, MembershipStatus.Cancelled];

    public IReadOnlyList<PlanCount> Plans { get; private set; } = [];

    /// <summary>The counts as Chart.js takes them: a label per plan, a dataset per status.</summary>
    public string ChartJson { get; private set; } = "{}";

    public async Task OnGetAsync()
    {
        var plans = await grains.GetGrain<IPlanDirectoryGrain>(IPlanDirectoryGrain.Key).ListAsync();
        var counts = new List<PlanCount>();
        foreach (var plan in plans)
        {
            var roster = await grains.GetGrain<IPlanRosterGrain>(plan.Id).GetMembersAsync();
            var statuses = new List<MembershipStatus>();
            await Parallel.ForEachAsync(roster, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (memberId, _) =>
            {
                // The roster keeps members who moved to another plan; they are counted on the plan they are on now.
                var membership = await grains.GetGrain<IMemberGrain>(memberId).GetMembershipAsync();
                if (membership.PlanId == plan.Id)
                {
                    lock (statuses)
                    {
                        statuses.Add(membership.Status);
                    }
                }
            });
            counts.Add(new PlanCount(plan.Id, plan.Current.Terms.Name, Statuses.ToDictionary(s => s, s => statuses.Count(x => x == s))));
        }

        Plans = counts;
        ChartJson = JsonSerializer.Serialize(new
        {
            labels = counts.Select(c => c.Name),
            datasets = Statuses.Select(s => new { label = Words(s), status = s.ToString(), data = counts.Select(c => c.ByStatus[s]) }),
        }, JsonSerializerOptions.Web);
    }

    public static string Words(MembershipStatus status) => status switch
    {
        MembershipStatus.PendingPayment => "Pending payment",
        MembershipStatus.PastDue => "Past due",
        _ => status.ToString(),
    };

    public sealed record PlanCount(string PlanId, string Name, IReadOnlyDictionary<MembershipStatus, int> ByStatus)
    {
        public int Total => ByStatus.Values.Sum();
    }
}
