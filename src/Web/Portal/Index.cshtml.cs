using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MedSpa.Web.Portal;

/// <summary>The member's overview: plan, status, dates, price, card, what the plan includes and the credits left.</summary>
public sealed class IndexModel(IGrainFactory grains, TimeProvider clock) : PageModel
{
    public MemberOverview Overview { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync()
    {
        try
        {
            Overview = await MemberOverview.LoadAsync(grains, User.MemberId()!, clock);
        }
        catch (CommandRejectedException e) when (e.Kind == RejectionKind.NotFound)
        {
            // A session for a client the practice no longer has: end it rather than show an error forever.
            await HttpContext.SignOutAsync(PortalAccess.Scheme);
            return Redirect("/portal/sign-in");
        }

        return Page();
    }
}
