using MedSpa.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace MedSpa.Web.Access;

/// <summary>Staff sign in with their email and password; the session is a cookie (see <see cref="StaffAccess"/>).</summary>
[AllowAnonymous]
public sealed class LoginModel(StaffSignIn signIn, SignInFailuresPerIp failuresPerIp) : PageModel
{
    public const string Refused = "That email and password do not match an active staff account.";

    public const string LockedOut = "Too many failed sign-ins for this address. Wait 15 minutes and try again.";

    public const string TooManyFromHere = "Too many failed sign-ins from this network. Wait a few minutes and try again.";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        // Behind a reverse proxy this is the client's address only when the proxy is trusted (Web:KnownProxies).
        var ip = HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (failuresPerIp.RefusedFor(ip) is { } wait)
        {
            // Refused before the password is looked at, so guessing on from here learns nothing.
            Error = TooManyFromHere;
            Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return new PageResult { StatusCode = StatusCodes.Status429TooManyRequests };
        }

        var (outcome, account) = await signIn.CheckAsync(Email, Password);
        if (outcome != SignInOutcome.SignedIn)
        {
            failuresPerIp.RecordFailure(ip);
            Error = outcome == SignInOutcome.LockedOut ? LockedOut : Refused;
            return Page();
        }

        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, StaffAccess.Principal(account!));
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/today");
    }
}
