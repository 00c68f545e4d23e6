using System.Security.Claims;
using MedSpa.Access;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

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

            // The cookie is a bearer credential: deleting it here leaves any copy working, so the account's session
            // stamp is replaced, which every node checks. Only a staff session (not an API key) has one to end.
            var authenticated = await context.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            if (authenticated.Principal?.FindFirstValue(ClaimTypes.NameIdentifier) is { } id)
            {
                await context.RequestServices.GetRequiredService<IGrainFactory>().GetGrain<IStaffDirectoryGrain>(IStaffDirectoryGrain.Key).EndSessionsAsync(id);
                context.RequestServices.GetRequiredService<StaffAccounts>().Forget(id);
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
