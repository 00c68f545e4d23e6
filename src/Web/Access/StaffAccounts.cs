using System.Security.Claims;
using MedSpa.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Caching.Memory;

namespace MedSpa.Web.Access;

/// <summary>
/// Staff sessions are checked against the account on every request, from a short cache: a disabled account or a
/// changed password ends its sessions, and a new role or location list applies, on this node at once (changes
/// made here drop the cached copy) and on the others within <see cref="CacheFor"/>.
/// </summary>
public sealed class StaffAccounts(IGrainFactory grains, IMemoryCache cache)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    private IStaffDirectoryGrain Directory => grains.GetGrain<IStaffDirectoryGrain>(IStaffDirectoryGrain.Key);

    public Task<StaffAccount?> FindAsync(string id) => cache.GetOrCreateAsync(CacheKey(id), entry =>
    {
        entry.AbsoluteExpirationRelativeToNow = CacheFor;
        return Directory.GetAsync(id);
    });

    /// <summary>Drops this node's copy of an account that was just changed.</summary>
    public void Forget(string id) => cache.Remove(CacheKey(id));

    internal async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal!;
        var account = principal.FindFirstValue(ClaimTypes.NameIdentifier) is { } id ? await FindAsync(id) : null;
        if (account is not { Active: true } || account.SessionStamp != principal.FindFirstValue(StaffAccess.SessionStampClaim))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }

        var current = StaffAccess.Principal(account);
        if (!SameClaims(principal, current))
        {
            context.ReplacePrincipal(current);
            context.ShouldRenew = true;
        }
    }

    private static bool SameClaims(ClaimsPrincipal a, ClaimsPrincipal b) =>
        a.Claims.Select(c => (c.Type, c.Value)).Order().SequenceEqual(b.Claims.Select(c => (c.Type, c.Value)).Order());

    private static string CacheKey(string id) => $"staff-account:{id}";
}
