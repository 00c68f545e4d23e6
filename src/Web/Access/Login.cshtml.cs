using MedSpa.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace MedSpa.Web.Access;

/// <summary>Staff sign in with their email and password; the session is a cookie (see <see cref="StaffAccess"/>).</summary>
[AllowAnonymous]
[EnableRateLimiting(StaffAccess.SignInAttempts)]
public sealed class LoginModel(StaffSignIn signIn) : PageModel
{
    public const string Refused = "That email and password do not match an active staff account.";

    public const string LockedOut = "Too many failed sign-ins for this address. Wait 15 minutes and try again.";

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
        var (outcome, account) = await signIn.CheckAsync(Email, Password);
        if (outcome != SignInOutcome.SignedIn)
        {
            Error = outcome == SignInOutcome.LockedOut ? LockedOut : Refused;
            return Page();
        }

        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, StaffAccess.Principal(account!));
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/today");
    }
}
