using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Threading.RateLimiting;
using MedSpa.Web.Problems;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MedSpa.Web.Portal;

/// <summary>
/// Who is signed in to the member portal: a cookie session of its own scheme, opened by an emailed sign-in link. It is
/// a different scheme, cookie and policy from the staff session on purpose: staff policies authenticate only staff
/// schemes and demand a staff role, so a member's session never reaches a staff endpoint, whatever it holds.
/// </summary>
public static class PortalAccess
{
    /// <summary>The member session's authentication scheme.</summary>
    public const string Scheme = "member";

    /// <summary>The authorization policy of portal pages: a member session, and only that.</summary>
    public const string Member = "member";

    /// <summary>The claim holding the signed-in member's id (<c>mem_…</c>).</summary>
    public const string MemberIdClaim = "medspa:member_id";

    /// <summary>The member's session stamp when the session was opened (see <see cref="MedSpa.Portal.IMemberSessionsGrain"/>).</summary>
    public const string SessionStampClaim = "medspa:member_session";

    /// <summary>Rate limiter policies, per client IP: asking for links (each one a mail), and opening them.</summary>
    public const string LinkRequests = "portal-sign-in-link";

    public const string LinkRedemptions = "portal-sign-in";

    /// <summary>What a refused sign-in request is told, by the API and the pages alike.</summary>
    public const string TooMany = "Too many sign-in requests. Wait a few minutes and try again.";

    public static IServiceCollection AddMemberPortalAccess(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<PortalOptions>().Bind(configuration.GetSection(PortalOptions.Section))
            .Validate(o => o.SignInLinksPerAddress > 0 && o.SignInLinksPerIp > 0 && o.SignInAttemptsPerIp > 0 && o.SignInWindow > TimeSpan.Zero,
                "Portal: the sign-in limits and window must be positive.")
            .ValidateOnStart();
        services.AddSingleton<SignInLinkThrottle>();

        services.AddAuthentication().AddCookie(Scheme, options =>
        {
            options.Cookie.Name = "medspa.member";
            options.Cookie.HttpOnly = true;
            // Lax, not Strict: a member arrives from a link in their mail and must find their session at once.
            options.Cookie.SameSite = SameSiteMode.Lax;
            // Plain HTTP only on a developer's machine; anywhere else the session never travels unencrypted.
            options.Cookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            options.LoginPath = "/portal/sign-in";
            options.AccessDeniedPath = "/portal/sign-in";
            options.ReturnUrlParameter = "";
            options.ExpireTimeSpan = TimeSpan.FromDays(7);
            options.SlidingExpiration = true;
            // Real time, like the staff session: a simulated clock moved a month must not sign every member out.
            options.TimeProvider = TimeProvider.System;
            // Checked against the cluster on every request, so a signed-out session is refused on every node at once.
            options.Events.OnValidatePrincipal = ValidateAsync;
        });

        services.AddAuthorizationBuilder()
            .AddPolicy(Member, policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser().RequireClaim(MemberIdClaim));

        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(LinkRequests, context => PerIp(context, o => o.SignInLinksPerIp));
            limiter.AddPolicy(LinkRedemptions, context => PerIp(context, o => o.SignInAttemptsPerIp));
            limiter.OnRejected = (rejected, cancellationToken) => TooManyAsync(rejected.HttpContext, rejected.Lease);
        });
        return services;
    }

    /// <summary>A new session for <paramref name="memberId"/>, carrying the member's current session stamp.</summary>
    public static async Task<ClaimsPrincipal> PrincipalAsync(IGrainFactory grains, string memberId) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, memberId),
            new Claim(MemberIdClaim, memberId),
            new Claim(SessionStampClaim, await grains.GetGrain<MedSpa.Portal.IMemberSessionsGrain>(memberId).OpenAsync()),
        ],
        Scheme));

    /// <summary>Ends every session of <paramref name="user"/>'s member, wherever its cookie is, then this one's cookie.</summary>
    public static async Task SignOutEverywhereAsync(HttpContext context)
    {
        if (context.User.MemberId() is { } memberId)
        {
            await context.RequestServices.GetRequiredService<IGrainFactory>().GetGrain<MedSpa.Portal.IMemberSessionsGrain>(memberId).EndAllAsync();
        }

        await context.SignOutAsync(Scheme);
    }

    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal!;
        var current = principal.FindFirstValue(MemberIdClaim) is { } memberId && principal.FindFirstValue(SessionStampClaim) is { } stamp
            && await context.HttpContext.RequestServices.GetRequiredService<IGrainFactory>().GetGrain<MedSpa.Portal.IMemberSessionsGrain>(memberId).IsCurrentAsync(stamp);
        if (!current)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
        }
    }

    public static string? MemberId(this ClaimsPrincipal user) => user.FindFirstValue(MemberIdClaim);

    /// <summary>
    /// 429: problem details (<c>rate_limited</c>) for the API, a page for a browser; with <c>Retry-After</c> when the
    /// limiter knows it.
    /// </summary>
    public static async ValueTask TooManyAsync(HttpContext context, RateLimitLease? lease)
    {
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        if (lease is not null && lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        if (context.Request.Path.StartsWithSegments("/api"))
        {
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status429TooManyRequests,
                    Detail = TooMany,
                    Extensions = { ["code"] = Problems.Problems.RateLimited },
                },
            });
        }
        else
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(Page.Render("Too many requests", $"""
                <h1>Please wait a moment</h1>
                <p>{WebUtility.HtmlEncode(TooMany)}</p>
                <p><a href="/portal/sign-in">Back to sign-in</a></p>
                """));
        }
    }

    private static RateLimitPartition<string> PerIp(HttpContext context, Func<PortalOptions, int> permits)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<PortalOptions>>().Value;
        // Behind a reverse proxy this is the proxy's address unless forwarded headers are configured for it.
        var ip = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return RateLimitPartition.GetFixedWindowLimiter(ip, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits(options),
            Window = options.SignInWindow,
            QueueLimit = 0,
        });
    }
}

/// <summary>Configuration section <c>Portal</c>: how often sign-in links may be asked for and opened.</summary>
public sealed class PortalOptions
{
    public const string Section = "Portal";

    /// <summary>Links mailed to one address per window, whoever asks: caps what anyone can send to someone's inbox.</summary>
    public int SignInLinksPerAddress { get; set; } = 3;

    /// <summary>Link requests from one IP address per window, for any addresses: caps spraying the member list.</summary>
    public int SignInLinksPerIp { get; set; } = 30;

    /// <summary>Link pages opened and confirmed from one IP address per window.</summary>
    public int SignInAttemptsPerIp { get; set; } = 60;

    public TimeSpan SignInWindow { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>
/// The per-address limit on sign-in links. The address is in the request body, out of the rate limiter middleware's
/// reach, so the endpoint asks here. Every address counts, member or not, so a refusal says nothing about who is one.
/// </summary>
public sealed class SignInLinkThrottle(IOptions<PortalOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(email =>
        RateLimitPartition.GetFixedWindowLimiter(email, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.SignInLinksPerAddress,
            Window = options.Value.SignInWindow,
            QueueLimit = 0,
        }), StringComparer.Ordinal);

    /// <summary>A lease for one more link to <paramref name="email"/> (normalised); check <see cref="RateLimitLease.IsAcquired"/>.</summary>
    public RateLimitLease Acquire(string email) => _limiter.AttemptAcquire(email);

    public void Dispose() => _limiter.Dispose();
}
