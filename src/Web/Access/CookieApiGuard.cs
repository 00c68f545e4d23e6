using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace MedSpa.Web.Access;

/// <summary>
/// Cross-site request forgery on the API: a page of another origin on the same site (another port, a subdomain) can
/// post a form with <c>enctype=text/plain</c> and the browser sends the staff or member cookie with it, SameSite or not.
/// A form cannot add a header, and a script of another origin can only with a CORS preflight this app never answers
/// (it enables no CORS), so a cookie-carrying command to <c>/api</c> must name itself with <see cref="Header"/>.
/// API keys travel in the Authorization header, which no forged form can set either, so they need nothing more.
/// </summary>
public static class CookieApiGuard
{
    public const string Header = "X-MedSpa-Request";

    public const string Code = "csrf_header_required";

    // The sessions a browser adds by itself: the staff dashboard's and the member portal's.
    private static readonly string[] SessionCookies = ["medspa.staff", "medspa.member"];

    public static IApplicationBuilder UseCookieApiGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (!request.Path.StartsWithSegments("/api")
            || HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method)
            || request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            || !SessionCookies.Any(request.Cookies.ContainsKey)
            // What anyone may call (the portal's sign-in link) acts on no session, so a cookie beside it forges nothing.
            || context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null
            || request.Headers.ContainsKey(Header))
        {
            await next(context);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "Forbidden",
                Detail = $"A command sent with a session cookie must carry the {Header} header (any value); an API key needs none.",
                Extensions = { ["code"] = Code },
            },
        });
    });
}
