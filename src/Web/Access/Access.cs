using System.Security.Claims;
using MedSpa.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MedSpa.Web.Access;

/// <summary>Who may call what: staff sessions (cookies) for people, bearer API keys for other systems.</summary>
public static class StaffAccess
{
    /// <summary>Any member of staff or any API key.</summary>
    public const string Staff = "staff";

    /// <summary>Owner or administrator only.</summary>
    public const string Admin = "admin";

    /// <summary>The front desk's work (members, enrolment, checkout, failed payments): administrators and front desk.</summary>
    public const string Desk = "desk";

    private const string BearerOrCookie = "bearer-or-cookie";

    public static IServiceCollection AddMedSpaAccess(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<AccessOptions>(configuration.GetSection(AccessOptions.Section));
        services.AddMemoryCache();
        services.AddAuthentication(BearerOrCookie)
            .AddPolicyScheme(BearerOrCookie, "API key or staff session", options => options.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? ApiKeyAuthentication.SchemeName
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null)
            .AddCookie(options =>
            {
                options.Cookie.Name = "medspa.staff";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.LoginPath = "/login";
                options.SlidingExpiration = true;
                options.ExpireTimeSpan = TimeSpan.FromHours(12);
                // A session lasts 12 real hours: on the practice clock, an administrator moving a simulated clock a
                // month forward would be signed out by their own click.
                options.TimeProvider = TimeProvider.System;
                // The API answers 401/403 with problem details; only pages are sent to the sign-in form.
                options.Events.OnRedirectToLogin = context => Refuse(context, StatusCodes.Status401Unauthorized);
                options.Events.OnRedirectToAccessDenied = context => Refuse(context, StatusCodes.Status403Forbidden);
            });

        // Staff policies name the staff schemes and demand a staff role rather than trust whoever the request is
        // authenticated as: other sessions (the member portal's) exist beside this one and must never pass here.
        var staff = new AuthorizationPolicyBuilder(BearerOrCookie).RequireAuthenticatedUser().RequireRole(Enum.GetNames<StaffRole>()).Build();
        services.AddAuthorizationBuilder()
            .AddPolicy(Staff, staff)
            .AddPolicy(Admin, policy => policy.AddAuthenticationSchemes(BearerOrCookie).RequireRole(nameof(StaffRole.Admin)))
            .AddPolicy(Desk, policy => policy.AddAuthenticationSchemes(BearerOrCookie).RequireRole(nameof(StaffRole.Admin), nameof(StaffRole.FrontDesk)))
            // Nothing is public unless it says so, and what is not public is for staff.
            .SetFallbackPolicy(staff);

        services.AddHostedService<BootstrapApiKey>();
        return services;
    }

    /// <summary>Whether <paramref name="user"/> is a member of staff (any role), for pages deciding what to show.</summary>
    public static bool IsStaff(ClaimsPrincipal user) => Enum.GetNames<StaffRole>().Any(user.IsInRole);

    /// <summary>Whether <paramref name="user"/> may do the front desk's work (<see cref="Desk"/>).</summary>
    public static bool IsDesk(ClaimsPrincipal user) => user.IsInRole(nameof(StaffRole.Admin)) || user.IsInRole(nameof(StaffRole.FrontDesk));

    internal static ClaimsPrincipal Principal(ApiKeyHolder holder, string scheme) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, holder.Name), new Claim(ClaimTypes.Role, holder.Role.ToString())],
        scheme));

    private static Task Refuse(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        // A signed-in member of staff without the role gains nothing from the sign-in form: pages answer 403 too.
        if (context.Request.Path.StartsWithSegments("/api") || status == StatusCodes.Status403Forbidden)
        {
            context.Response.StatusCode = status;
            if (status == StatusCodes.Status401Unauthorized)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
            }
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }

        return Task.CompletedTask;
    }
}

/// <summary>Configuration section <c>Auth</c>.</summary>
public sealed class AccessOptions
{
    public const string Section = "Auth";

    /// <summary>An administrator API key created at start-up, so a fresh deployment can be reached at all.</summary>
    public string? BootstrapApiKey { get; set; }
}
