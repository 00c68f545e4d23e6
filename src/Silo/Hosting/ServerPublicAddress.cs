using MedSpa.Grains.Notifications;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace MedSpa.Silo.Hosting;

/// <summary>
/// <c>Web:PublicUrl</c>, the one address every link the product writes starts with. Unset, it is where this node's web
/// server actually listens (an https address before an http one), a wildcard host (0.0.0.0, [::], +, *) named
/// localhost: right on a developer's machine and in tests on any port. Behind a proxy or a published container port,
/// where the server cannot know the address people use, set it.
/// </summary>
public sealed class ServerPublicAddress : IPublicAddress
{
    public const string Setting = "Web:PublicUrl";

    /// <summary>Long enough for a slow start; a mail waiting longer is retried later like a failed send.</summary>
    private static readonly TimeSpan ServerStart = TimeSpan.FromSeconds(30);

    private readonly Uri? _configured;
    private readonly IServer _server;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Uri? _derived;

    public ServerPublicAddress(IConfiguration configuration, IServer server, IHostApplicationLifetime lifetime)
    {
        ArgumentNullException.ThrowIfNull(lifetime);
        _configured = Configured(configuration);
        _server = server;
        // The server's addresses are known once it listens; a token already fired runs this at once.
        lifetime.ApplicationStarted.Register(() => _started.TrySetResult());
    }

    public async Task<Uri> GetAsync(CancellationToken cancellationToken = default)
    {
        if ((_configured ?? _derived) is { } known)
        {
            return known;
        }

        await _started.Task.WaitAsync(ServerStart, cancellationToken);
        _derived = FromListenAddresses(_server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
            ?? throw new InvalidOperationException($"The web server listens on no http(s) address to make links from; set {Setting}.");
        return _derived;
    }

    /// <summary>The configured address, ending in '/'; null when unset. A value that is no site address stops the start.</summary>
    public static Uri? Configured(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var text = configuration[Setting];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            throw new InvalidOperationException($"{Setting} must be the http(s) address people reach the product at, such as https://glow.example, not \"{text}\".");
        }

        return uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }

    /// <summary>The site's root for a server listening on <paramref name="addresses"/>; null when none is http(s).</summary>
    public static Uri? FromListenAddresses(IEnumerable<string> addresses)
    {
        var candidates = addresses
            .Select(a => a.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal))
            .Select(a => Uri.TryCreate(a, UriKind.Absolute, out var uri) ? uri : null)
            .OfType<Uri>()
            .Where(u => u.Scheme is "http" or "https")
            .ToList();
        if ((candidates.Find(u => u.Scheme == "https") ?? candidates.FirstOrDefault()) is not { } listen)
        {
            return null;
        }

        var site = new UriBuilder(listen.Scheme, listen.Host, listen.Port, "/");
        if (listen.Host is "0.0.0.0" or "[::]" or "::")
        {
            // Listening everywhere names no host; on this machine, localhost reaches it.
            site.Host = "localhost";
        }

        return site.Uri;
    }
}
