using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Net.Http.Headers;

namespace MedSpa.Web.Security;

/// <summary>
/// The headers every answer carries: a content security policy that runs only this site's own script files (no inline
/// script, no other origin, no framing), <c>nosniff</c>, a same-origin referrer, and HSTS wherever it is not a
/// developer's machine.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// Pages load only their own files; <c>data:</c> images are the signature pad's saved strokes. <c>'self'</c> in
    /// connect-src covers the live hub's same-origin websocket.
    /// </summary>
    public const string Policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    /// <summary>
    /// The Orleans dashboard (admin only, a third party's bundle) draws its charts and diagrams by writing style
    /// attributes and elements and embeds its font as <c>data:</c>, so under <c>/dashboard</c> inline styles and data fonts
    /// are allowed; its scripts still come only from here.
    /// </summary>
    public const string DashboardPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
        + "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    public const string DashboardPath = "/dashboard";

    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            // Only answers over HTTPS carry it, and never to localhost (ASP.NET Core's defaults).
            app.UseHsts();
        }

        app.Use((context, next) =>
        {
            // Set as the answer starts: the exception handler clears headers set before it writes a problem.
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers[HeaderNames.ContentSecurityPolicy] = context.Request.Path.StartsWithSegments(DashboardPath) ? DashboardPolicy : Policy;
                headers[HeaderNames.XFrameOptions] = "DENY";
                headers[HeaderNames.XContentTypeOptions] = "nosniff";
                headers["Referrer-Policy"] = "same-origin";
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }
}
