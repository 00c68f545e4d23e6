using System.Net;
using MedSpa.Access;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace MedSpa.Web.Access;

/// <summary>
/// Staff sign in to the browser pages (the Orleans dashboard, and later the staff dashboard) with an API key; a
/// cookie session then carries their role. Staff accounts with passwords replace this form with the dashboard.
/// </summary>
public static class SignInEndpoints
{
    public static IEndpointRouteBuilder MapSignIn(this IEndpointRouteBuilder app)
    {
        app.MapGet("/login", (HttpContext context, IAntiforgery antiforgery, string? returnUrl, bool? failed) =>
        {
            var token = antiforgery.GetAndStoreTokens(context);
            return Results.Content(Page.Render("Sign in", $"""
                <h1>Staff sign-in</h1>
                {(failed == true ? "<p class=error>That key is not valid.</p>" : "")}
                <form method="post" action="/login">
                  <input type="hidden" name="{token.FormFieldName}" value="{WebUtility.HtmlEncode(token.RequestToken)}">
                  <input type="hidden" name="returnUrl" value="{WebUtility.HtmlEncode(returnUrl ?? "/")}">
                  <label>API key <input type="password" name="apiKey" autocomplete="current-password" required autofocus></label>
                  <button type="submit">Sign in</button>
                </form>
                """), "text/html");
        }).AllowAnonymous().ExcludeFromDescription();

        app.MapPost("/login", async (HttpContext context, [FromForm] string apiKey, [FromForm] string? returnUrl, IGrainFactory grains) =>
        {
            var target = returnUrl is { Length: > 0 } && Uri.IsWellFormedUriString(returnUrl, UriKind.Relative) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal)
                ? returnUrl
                : "/";
            var holder = await grains.GetGrain<IApiKeyGrain>(IApiKeyGrain.Key).FindAsync(ApiKeyAuthentication.Hash(apiKey));
            if (holder is null)
            {
                return Results.Redirect($"/login?failed=true&returnUrl={Uri.EscapeDataString(target)}");
            }

            var scheme = CookieAuthenticationDefaults.AuthenticationScheme;
            await context.SignInAsync(scheme, StaffAccess.Principal(holder, scheme));
            return Results.LocalRedirect(target);
        }).AllowAnonymous().ExcludeFromDescription();

        app.MapPost("/logout", async (HttpContext context) =>
        {
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect("/");
        }).ExcludeFromDescription();

        return app;
    }
}
