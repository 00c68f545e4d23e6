using MedSpa.Billing;
using MedSpa.Web.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MedSpa.Web.Billing;

/// <summary><c>/failed-payments</c>: the board of members being chased for an unpaid period, as the API lists it.</summary>
[Authorize(Policy = StaffAccess.Desk)]
public sealed class FailedPaymentsModel(IGrainFactory grains) : PageModel
{
    public IReadOnlyList<FailedPayment> Board { get; private set; } = [];

    public async Task OnGetAsync() =>
        Board = (await grains.GetGrain<IFailedPaymentsGrain>(IFailedPaymentsGrain.Key).ListAsync()).OrderBy(f => f.Since).ToList();
}
