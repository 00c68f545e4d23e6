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
/// session); the confirmation POST redeems the link once and opens the member session. The pages themselves are Razor
/// pages beside this file (<c>SignIn</c>, <c>SignInLink</c>); this keeps the JSON API and signing out.
/// </summary>
public static partial class PortalEndpoints
{
    /// <summary>Said for every well-formed request, member or not: the answer never tells who is a member.</summary>
    internal const string LinkOnItsWay = "If this address belongs to a member, a sign-in link is on its way. It works once, within 15 minutes.";

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

        portal.MapPost("/sign-out", async (HttpContext context) =>
        {
            // No form field is bound here, so nothing acts on the middleware's verdict unless this does (a forged
            // sign-out is harmless, but a page that signs members out from elsewhere is a nuisance).
            if (context.Features.Get<IAntiforgeryValidationFeature>()?.IsValid != true)
            {
                throw new BadHttpRequestException("Sign out from the portal's own page.");
            }

            await PortalAccess.SignOutEverywhereAsync(context);
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
    internal static async Task<bool> RequestLinkAsync(string email, IGrainFactory grains, SignInLinkThrottle throttle)
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

    /// <summary>The address as profiles keep it (trimmed, lower case), or null when it cannot be one.</summary>
    internal static string? Normalise(string? email) =>
        email?.Trim().ToLowerInvariant() is { Length: > 0 and <= 254 } address && EmailPattern().IsMatch(address) ? address : null;

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();
}

/// <summary>Body of <c>POST /api/v1/portal/sign-in-link</c>.</summary>
public sealed record SignInLinkRequest(string? Email);

/// <summary>The answer to every well-formed link request.</summary>
public sealed record SignInLinkAccepted(string Message, int ValidForMinutes);
