using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace MedSpa.Web.Shared;

/// <summary>
/// Serves <c>/assets/…</c> (the stylesheet, the page scripts and the npm libraries) from resources embedded in this
/// assembly, so the silo, the tests and a container all serve exactly the files it was built with, and no page ever
/// needs a CDN.
/// </summary>
internal static class ClientAssets
{
    public const string Path = "/assets";

    public static WebApplication UseClientAssets(this WebApplication app)
    {
        app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = Path,
            FileProvider = new EmbeddedFileProvider(Assembly.GetExecutingAssembly(), "MedSpa.Web.Assets"),
            OnPrepareResponse = context =>
            {
                // Short: the names carry no content hash, and a new build must reach open dashboards soon.
                context.Context.Response.Headers[HeaderNames.CacheControl] = "public, max-age=300";
                context.Context.Response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
            },
        });
        return app;
    }
}
