using MedSpa.Plans;
using MedSpa.Web.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MedSpa.Web.Plans;

/// <summary><c>/plans</c>: the practice's tiers as they are sold now.</summary>
[Authorize(Policy = StaffAccess.Admin)]
public sealed class PlansModel(IGrainFactory grains) : PageModel
{
    public IReadOnlyList<Plan> Plans { get; private set; } = [];

    public async Task OnGetAsync() => Plans = await grains.GetGrain<IPlanDirectoryGrain>(IPlanDirectoryGrain.Key).ListAsync();
}
