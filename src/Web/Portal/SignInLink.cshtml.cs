using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace MedSpa.Web.Portal;

/// <summary>
/// The sign-in form's POST: mails a link to a registered address and answers every well-formed address the same, so
/// the page never tells who is a member. The same limits as the API apply (per address here, per IP in the middleware).
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(PortalAccess.LinkRequests)]
public sealed class SignInLinkModel(IGrainFactory grains, SignInLinkThrottle throttle) : PageModel
{
    public bool Sent { get; private set; }

    public string? Error { get; private set; }

    /// <summary>Someone reloading or bookmarking the form's address gets the form, not an error.</summary>
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(string? email)
    {
        if (PortalEndpoints.Normalise(email) is not { } address)
        {
            return Refused(StatusCodes.Status400BadRequest, "That doesn't look like an email address.");
        }

        if (!await PortalEndpoints.RequestLinkAsync(address, grains, throttle))
        {
            return Refused(StatusCodes.Status429TooManyRequests, PortalAccess.TooMany);
        }

        Sent = true;
        return Page();
    }

    private PageResult Refused(int status, string error)
    {
        Error = error;
        var page = Page();
        page.StatusCode = status;
        return page;
    }
}
