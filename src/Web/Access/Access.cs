using System.Net;
using System.Security.Claims;
using MedSpa.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

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

    /// <summary>The claim naming a location the member of staff is limited to; none means every location.</summary>
    public const string LocationClaim = "medspa:location";

    /// <summary>The account's session stamp when the session was opened (see <see cref="StaffAccount.SessionStamp"/>).</summary>
    public const string SessionStampClaim = "medspa:session";

    /// <summary>Fixed so every silo, whatever its path or version, reads the others' cookies and tokens.</summary>
    public const string ApplicationName = "MedSpa";

    private const string BearerOrCookie = "bearer-or-cookie";

    public static IServiceCollection AddMedSpaAccess(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<AccessOptions>().Bind(configuration.GetSection(AccessOptions.Section))
            .Validate(o => o.SignInAttemptsPerIp > 0 && o.SignInWindow > TimeSpan.Zero, "Auth: the sign-in limit and window must be positive.")
            // The README and run.sh publish this key: anywhere but a demo it is anyone's administrator key.
            .Validate(
                o => o.BootstrapApiKey != AccessOptions.DemoApiKey || configuration.GetValue<bool>("Demo:Seed"),
                $"Auth:BootstrapApiKey is the published demo key {AccessOptions.DemoApiKey}: choose your own, or set Demo:Seed=true for a demo.")
            .ValidateOnStart();
        services.AddMemoryCache();
        services.AddSingleton<IPasswordHasher<StaffAccount>, PasswordHasher<StaffAccount>>();
        services.AddSingleton<StaffAccounts>();
        services.AddSingleton<StaffSignIn>();

        // The key ring lives in a grain, so every silo protects and reads cookies and antiforgery tokens with the
        // same keys; in memory mode that grain's storage is the process, as the mode promises.
        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(provider => new ConfigureOptions<KeyManagementOptions>(options =>
            options.XmlRepository = new GrainXmlRepository(provider.GetRequiredService<IGrainFactory>())));

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
                // Plain HTTP only on a developer's machine; anywhere else the session never travels unencrypted.
                options.Cookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                options.LoginPath = "/login";
                options.SlidingExpiration = true;
                options.ExpireTimeSpan = TimeSpan.FromHours(12);
                options.Events.OnValidatePrincipal = context => context.HttpContext.RequestServices.GetRequiredService<StaffAccounts>().ValidateAsync(context);
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

        services.AddSingleton<SignInFailuresPerIp>();
        services.AddHostedService<BootstrapApiKey>();
        return services.AddMedSpaProxies(configuration);
    }

    /// <summary>Whether <paramref name="user"/> is a member of staff (any role), for pages deciding what to show.</summary>
    public static bool IsStaff(ClaimsPrincipal user) => Enum.GetNames<StaffRole>().Any(user.IsInRole);

    /// <summary>Whether <paramref name="user"/> may do the front desk's work (<see cref="Desk"/>).</summary>
    public static bool IsDesk(ClaimsPrincipal user) => user.IsInRole(nameof(StaffRole.Admin)) || user.IsInRole(nameof(StaffRole.FrontDesk));

    /// <summary>The locations <paramref name="user"/> is limited to; empty for every location (and for API keys).</summary>
    public static IReadOnlyList<string> Locations(ClaimsPrincipal user) => [.. user.FindAll(LocationClaim).Select(c => c.Value)];

    /// <summary>
    /// Whether <paramref name="user"/> may see a member whose home location is <paramref name="homeLocationId"/>.
    /// Pages showing a member ask this and answer as if the member did not exist when it says no.
    /// </summary>
    public static bool MaySee(ClaimsPrincipal user, string homeLocationId) =>
        Locations(user) is not { Count: > 0 } limited || limited.Contains(homeLocationId, StringComparer.Ordinal);

    internal static ClaimsPrincipal Principal(ApiKeyHolder holder, string scheme) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, holder.Name), new Claim(ClaimTypes.Role, holder.Role.ToString())],
        scheme));

    internal static ClaimsPrincipal Principal(StaffAccount account) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, account.Id),
            new Claim(ClaimTypes.Name, account.DisplayName),
            new Claim(ClaimTypes.Email, account.Email),
            new Claim(ClaimTypes.Role, account.Role.ToString()),
            new Claim(SessionStampClaim, account.SessionStamp),
            .. account.LocationIds.Select(id => new Claim(LocationClaim, id)),
        ],
        CookieAuthenticationDefaults.AuthenticationScheme));

    private static async Task Refuse(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        var script = context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/hubs");
        if (status == StatusCodes.Status403Forbidden && !script)
        {
            // A signed-in member of staff without the role gains nothing from the sign-in form: a page says who may
            // open this one. The API and the hub keep their problem details.
            context.Response.StatusCode = status;
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(Page.Render("Not for your role", $"""
                <h1>You cannot open this page</h1>
                <p>{WebUtility.HtmlEncode(WhoMayOpen(context.HttpContext))}</p>
                <p><a href="/today">Back to today</a></p>
                """));
        }
        else if (script)
        {
            // The API and the live hub answer 401 to scripts.
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
    }

    /// <summary>The sentence naming who may open the page the request was refused, from the policy it demands.</summary>
    internal static string WhoMayOpen(HttpContext context)
    {
        var policies = context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToList() ?? [];
        return policies.Contains(Admin) ? "Only an owner or administrator can open this page."
            : policies.Contains(Desk) ? "Only an administrator or the front desk can open this page."
            : "Your role cannot open this page.";
    }
}

/// <summary>Configuration section <c>Auth</c>.</summary>
public sealed class AccessOptions
{
    public const string Section = "Auth";

    /// <summary>The administrator key <c>./run.sh</c> and the README use; refused unless the demo is asked for.</summary>
    public const string DemoApiKey = "medspa-dev-key";

    /// <summary>An administrator API key created at start-up, so a fresh deployment can be reached at all.</summary>
    public string? BootstrapApiKey { get; set; }

    /// <summary>Failed staff sign-ins from one client IP per window, whatever the address tried; successful ones never count.</summary>
    public int SignInAttemptsPerIp { get; set; } = 20;

    public TimeSpan SignInWindow { get; set; } = TimeSpan.FromMinutes(15);
}
