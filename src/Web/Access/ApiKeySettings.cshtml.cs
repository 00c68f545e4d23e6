using MedSpa.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Caching.Memory;

namespace MedSpa.Web.Access;

/// <summary>Administrators make API keys (each shown once) and revoke them.</summary>
[Authorize(Policy = StaffAccess.Admin)]
public sealed class ApiKeySettingsModel(IGrainFactory grains, IMemoryCache cache) : PageModel
{
    public IReadOnlyList<ApiKeyHolder> Keys { get; private set; } = [];

    public StaffEndpoints.NewApiKey? Created { get; private set; }

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    private IApiKeyGrain ApiKeys => grains.GetGrain<IApiKeyGrain>(IApiKeyGrain.Key);

    public async Task OnGetAsync() => Keys = await ApiKeys.ListAsync();

    public async Task<IActionResult> OnPostCreateAsync(string? name, StaffRole role)
    {
        try
        {
            var (secret, hash) = StaffEndpoints.NewSecret();
            var holder = await ApiKeys.AddAsync(new ApiKeyRegistration(hash, name ?? "", role));
            Created = new StaffEndpoints.NewApiKey(holder.Id, holder.Name, holder.Role, holder.CreatedAt, secret);
            // The page holds a secret: no cache, anywhere, may keep it.
            Response.Headers.CacheControl = "no-store";
        }
        catch (CommandRejectedException refusal)
        {
            Error = refusal.Message;
        }

        await OnGetAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(string id)
    {
        try
        {
            ApiKeyAuthentication.Forget(cache, await ApiKeys.RevokeAsync(id));
            Message = "The key is revoked.";
        }
        catch (CommandRejectedException refusal)
        {
            Error = refusal.Message;
        }

        await OnGetAsync();
        return Page();
    }
}
