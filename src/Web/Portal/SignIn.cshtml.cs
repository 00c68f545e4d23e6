using MedSpa.Portal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace MedSpa.Web.Portal;

/// <summary>
/// The page an emailed link opens. Opening it only offers to sign in (mail scanners fetch every link in a mail, and
/// must neither use it up nor get a session); the button's POST redeems the link once and opens the member session.
/// An unknown, used or expired link is one answer, 410 with a form to ask for a new one.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(PortalAccess.LinkRedemptions)]
public sealed class SignInModel(IGrainFactory grains) : PageModel
{
    /// <summary>The link's token, when it can still be redeemed: the page offers to sign in with it.</summary>
    public string? ConfirmToken { get; private set; }

    public bool InvalidLink { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? token)
    {
        if (token is null)
        {
            return Page();
        }

        // Looking is not using: nothing here redeems the link.
        if (ISignInLinkGrain.IsWellFormed(token) && await grains.GetGrain<ISignInLinkGrain>(ISignInLinkGrain.KeyOf(token)).IsRedeemableAsync())
        {
            ConfirmToken = token;
            return Page();
        }

        return Gone();
    }

    public async Task<IActionResult> OnPostAsync(string? token)
    {
        var memberId = ISignInLinkGrain.IsWellFormed(token)
            ? await grains.GetGrain<ISignInLinkGrain>(ISignInLinkGrain.KeyOf(token!)).RedeemAsync()
            : null;
        if (memberId is null)
        {
            return Gone();
        }

        await HttpContext.SignInAsync(PortalAccess.Scheme, await PortalAccess.PrincipalAsync(grains, memberId));
        return Redirect("/portal");
    }

    private PageResult Gone()
    {
        InvalidLink = true;
        var page = Page();
        page.StatusCode = StatusCodes.Status410Gone;
        return page;
    }
}
