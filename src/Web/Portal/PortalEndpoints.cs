using System.Net;
using System.Text.RegularExpressions;
using MedSpa.Members;
using MedSpa.Portal;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace MedSpa.Web.Portal;

/// <summary>
/// Passwordless sign-in to the member portal. A member asks for a link by email; the link opens a page that only
/// confirms (mail scanners and link previews fetch every GET in a mail, and must not use up the link or get a
/// session); the confirmation POST redeems the link once and opens the member session. <c>GET /portal</c> shows who is
/// signed in until the portal's own pages exist.
/// </summary>
public static partial class PortalEndpoints
{
    /// <summary>Said for every well-formed request, member or not: the answer never tells who is a member.</summary>
    private const string LinkOnItsWay = "If this address belongs to a member, a sign-in link is on its way. It works once, within 15 minutes.";

    public static IEndpointRouteBuilder MapPortal(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/portal/sign-in-link", async (SignInLinkRequest? request, HttpContext context, IGrainFactory grains, SignInLinkThrottle throttle) =>
        {
            var email = Normalise(request?.Email)
                ?? throw new CommandRejectedException(RejectionKind.Invalid, "invalid_email", "An email address such as jane@example.com is needed.");
            if (!await RequestLinkAsync(email, grains, throttle))
            {
                await PortalAccess.TooManyAsync(context, null);
                return Results.Empty;
            }

            return Results.Accepted(value: new SignInLinkAccepted(LinkOnItsWay, (int)ISignInLinkGrain.Validity.TotalMinutes));
        })
            .AllowAnonymous()
            .RequireRateLimiting(PortalAccess.LinkRequests)
            .WithTags("Portal")
            .WithSummary("Mails a one-time sign-in link to the member with this address; 202 whether or not there is one.")
            .Produces<SignInLinkAccepted>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        var portal = app.MapGroup("/portal").ExcludeFromDescription();

        portal.MapGet("/sign-in", async (HttpContext context, IAntiforgery antiforgery, IGrainFactory grains, string? token) =>
        {
            NoStore(context);
            if (token is null)
            {
                return Html(RequestForm(context, antiforgery));
            }

            // Looking is not using: the page only offers to sign in, so a scanner fetching it changes nothing.
            return await IsRedeemableAsync(grains, token)
                ? Html(ConfirmForm(context, antiforgery, token))
                : Html(InvalidLink(context, antiforgery), StatusCodes.Status410Gone);
        }).AllowAnonymous().RequireRateLimiting(PortalAccess.LinkRedemptions);

        portal.MapPost("/sign-in", async (HttpContext context, IAntiforgery antiforgery, IGrainFactory grains, [FromForm] string? token) =>
        {
            NoStore(context);
            var memberId = ISignInLinkGrain.IsWellFormed(token)
                ? await grains.GetGrain<ISignInLinkGrain>(ISignInLinkGrain.KeyOf(token!)).RedeemAsync()
                : null;
            if (memberId is null)
            {
                return Html(InvalidLink(context, antiforgery), StatusCodes.Status410Gone);
            }

            await context.SignInAsync(PortalAccess.Scheme, PortalAccess.Principal(memberId));
            return Results.Redirect("/portal", preserveMethod: false);
        }).AllowAnonymous().RequireRateLimiting(PortalAccess.LinkRedemptions);

        portal.MapPost("/sign-in-link", async (HttpContext context, IAntiforgery antiforgery, IGrainFactory grains, SignInLinkThrottle throttle, [FromForm] string? email) =>
        {
            NoStore(context);
            if (Normalise(email) is not { } address)
            {
                return Html(RequestForm(context, antiforgery, "That doesn't look like an email address."), StatusCodes.Status400BadRequest);
            }

            if (!await RequestLinkAsync(address, grains, throttle))
            {
                await PortalAccess.TooManyAsync(context, null);
                return Results.Empty;
            }

            return Html($"""
                <h1>Check your email</h1>
                <p>{E(LinkOnItsWay)}</p>
                """);
        }).AllowAnonymous().RequireRateLimiting(PortalAccess.LinkRequests);

        portal.MapGet("", async (HttpContext context, IAntiforgery antiforgery, IGrainFactory grains) =>
        {
            NoStore(context);
            var memberId = context.User.MemberId()!;
            MemberProfile profile;
            try
            {
                profile = await grains.GetGrain<IMemberGrain>(memberId).GetProfileAsync();
            }
            catch (CommandRejectedException e) when (e.Kind == RejectionKind.NotFound)
            {
                // A session for a member the practice no longer has: end it rather than show an error forever.
                await context.SignOutAsync(PortalAccess.Scheme);
                return Results.Redirect("/portal/sign-in");
            }

            var form = antiforgery.GetAndStoreTokens(context);
            return Html($"""
                <h1>Your membership</h1>
                <p>Signed in as <strong>{E(profile.FullName)}</strong> ({E(profile.Email)}).</p>
                <p><small>Member {E(profile.Id)}</small></p>
                <form method="post" action="/portal/sign-out">
                  <input type="hidden" name="{E(form.FormFieldName)}" value="{E(form.RequestToken ?? "")}">
                  <button type="submit">Sign out</button>
                </form>
                """);
        }).RequireAuthorization(PortalAccess.Member);

        portal.MapPost("/sign-out", async (HttpContext context) =>
        {
            // No form field is bound here, so nothing acts on the middleware's verdict unless this does (a forged
            // sign-out is harmless, but a page that signs members out from elsewhere is a nuisance).
            if (context.Features.Get<IAntiforgeryValidationFeature>()?.IsValid != true)
            {
                throw new BadHttpRequestException("Sign out from the portal's own page.");
            }

            await context.SignOutAsync(PortalAccess.Scheme);
            return Results.Redirect("/portal/sign-in");
        })
            .RequireAuthorization(PortalAccess.Member)
            .WithMetadata(new RequireAntiforgeryTokenAttribute());

        return app;
    }

    /// <summary>
    /// The per-address limit first (every address counts, member or not), then the directory; the member grain is told
    /// one-way, so a member's request takes no longer to answer than anyone else's. False when over the limit.
    /// </summary>
    private static async Task<bool> RequestLinkAsync(string email, IGrainFactory grains, SignInLinkThrottle throttle)
    {
        using var lease = throttle.Acquire(email);
        if (!lease.IsAcquired)
        {
            return false;
        }

        if (await grains.GetGrain<IMemberDirectoryGrain>(IMemberDirectoryGrain.Key).FindByEmailAsync(email) is { } member)
        {
            await grains.GetGrain<IMemberGrain>(member.Id).RequestSignInLinkAsync();
        }

        return true;
    }

    private static async Task<bool> IsRedeemableAsync(IGrainFactory grains, string token) =>
        ISignInLinkGrain.IsWellFormed(token) && await grains.GetGrain<ISignInLinkGrain>(ISignInLinkGrain.KeyOf(token)).IsRedeemableAsync();

    /// <summary>The address as profiles keep it (trimmed, lower case), or null when it cannot be one.</summary>
    private static string? Normalise(string? email) =>
        email?.Trim().ToLowerInvariant() is { Length: > 0 and <= 254 } address && EmailPattern().IsMatch(address) ? address : null;

    private static string RequestForm(HttpContext context, IAntiforgery antiforgery, string? error = null)
    {
        var form = antiforgery.GetAndStoreTokens(context);
        return $"""
            <h1>Sign in to your membership</h1>
            {(error is null ? "" : $"<p class=error>{E(error)}</p>")}
            <p>We'll email you a link that signs you in. No password needed.</p>
            <form method="post" action="/portal/sign-in-link">
              <input type="hidden" name="{E(form.FormFieldName)}" value="{E(form.RequestToken ?? "")}">
              <label>Email <input type="email" name="email" autocomplete="email" required autofocus></label>
              <button type="submit">Email me a sign-in link</button>
            </form>
            """;
    }

    private static string ConfirmForm(HttpContext context, IAntiforgery antiforgery, string token)
    {
        var form = antiforgery.GetAndStoreTokens(context);
        return $"""
            <h1>Sign in to your membership</h1>
            <p>Continue to sign in on this device.</p>
            <form method="post" action="/portal/sign-in">
              <input type="hidden" name="{E(form.FormFieldName)}" value="{E(form.RequestToken ?? "")}">
              <input type="hidden" name="token" value="{E(token)}">
              <button type="submit">Sign in</button>
            </form>
            """;
    }

    private static string InvalidLink(HttpContext context, IAntiforgery antiforgery) => $"""
        <p class=error>This sign-in link is invalid or has expired. Each link works once, within 15 minutes.</p>
        {RequestForm(context, antiforgery)}
        """;

    /// <summary>The pages carry a token (link or session-bound): never cached, and never sent on as a referrer.</summary>
    private static void NoStore(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
    }

    private static IResult Html(string body, int status = StatusCodes.Status200OK) =>
        Results.Content(Page.Render("Member sign-in", body), "text/html; charset=utf-8", null, status);

    private static string E(string value) => WebUtility.HtmlEncode(value);

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();
}

/// <summary>Body of <c>POST /api/v1/portal/sign-in-link</c>.</summary>
public sealed record SignInLinkRequest(string? Email);

/// <summary>The answer to every well-formed link request.</summary>
public sealed record SignInLinkAccepted(string Message, int ValidForMinutes);
