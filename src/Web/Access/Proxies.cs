using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MedSpa.Web.Access;

/// <summary>
/// Configuration section <c>Web</c>: the load balancers in front of the silos. Requests from them have their client
/// address and scheme taken from <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c>, so per-IP limits count clients
/// rather than the balancer and Secure cookies are issued over its TLS. Off unless a proxy or network is named:
/// believing those headers from anyone would let any client pick its own address.
/// </summary>
public sealed class ProxyOptions
{
    public const string Section = "Web";

    /// <summary>Addresses of trusted proxies, such as <c>10.0.0.5</c>.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR notation, such as <c>10.0.0.0/24</c>.</summary>
    public string[] KnownNetworks { get; set; } = [];

    public bool Enabled => KnownProxies.Length > 0 || KnownNetworks.Length > 0;
}

public static class Proxies
{
    internal static IServiceCollection AddMedSpaProxies(this IServiceCollection services, IConfiguration configuration)
    {
        var proxies = configuration.GetSection(ProxyOptions.Section).Get<ProxyOptions>() ?? new ProxyOptions();
        services.AddSingleton(proxies);
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in proxies.KnownProxies)
            {
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in proxies.KnownNetworks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return services;
    }

    /// <summary>Goes first: everything after it, the rate limiter and the cookies included, sees the client.</summary>
    public static WebApplication UseMedSpaProxies(this WebApplication app)
    {
        if (app.Services.GetRequiredService<ProxyOptions>().Enabled)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }
}
