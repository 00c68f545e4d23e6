using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using MedSpa.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MedSpa.Web.Access;

/// <summary>
/// <c>Authorization: Bearer &lt;api key&gt;</c>. Keys are looked up by hash; a short cache keeps the key grain off
/// the hot path, at the price of a revoked key working for up to a minute on nodes other than the one revoking it.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IGrainFactory grains,
    IMemoryCache cache) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);

    public static string Hash(string apiKey) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)));

    /// <summary>Drops this node's copy of a key that was just revoked, so it is refused here at once.</summary>
    public static void Forget(IMemoryCache cache, string keyHash) => cache.Remove(CacheKey(keyHash));

    private static string CacheKey(string keyHash) => $"api-key:{keyHash}";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var key = header["Bearer ".Length..].Trim();
        if (key.Length == 0)
        {
            return AuthenticateResult.Fail("Empty API key.");
        }

        var hash = Hash(key);
        var holder = await cache.GetOrCreateAsync(CacheKey(hash), entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = CacheFor;
            return grains.GetGrain<IApiKeyGrain>(IApiKeyGrain.Key).FindAsync(hash);
        });

        return holder is null
            ? AuthenticateResult.Fail("Unknown API key.")
            : AuthenticateResult.Success(new AuthenticationTicket(StaffAccess.Principal(holder, SchemeName), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return base.HandleChallengeAsync(properties);
    }
}
