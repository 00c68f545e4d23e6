using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MedSpa.Web.Access;

/// <summary><c>POST /logout</c>: ends the staff session. Signing in is the <c>/login</c> page (Login.cshtml).</summary>
public static class SignInEndpoints
{
    public static IEndpointRouteBuilder MapSignIn(this IEndpointRouteBuilder app)
    {
        // Anyone may sign out, signed in or not. No form field is bound, so the antiforgery verdict is acted on
        // here: another site must not be able to sign staff out of the desk mid-checkout.
        app.MapPost("/logout", async (HttpContext context) =>
        {
            if (context.Features.Get<IAntiforgeryValidationFeature>() is not { IsValid: true })
            {
                throw new BadHttpRequestException("Sign out with the button on a staff page.");
            }

            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect("/login");
        })
            .AllowAnonymous()
            .WithMetadata(new RequireAntiforgeryTokenAttribute())
            .ExcludeFromDescription();

        return app;
    }
}
