using System.Collections.Immutable;
using MedSpa.Access;
using MedSpa.Practice;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MedSpa.Web.Access;

/// <summary>Administrators add staff, change their role, locations and access, and set their passwords.</summary>
[Authorize(Policy = StaffAccess.Admin)]
public sealed class StaffSettingsModel(IGrainFactory grains, StaffSignIn signIn, StaffAccounts accounts) : PageModel
{
    public IReadOnlyList<StaffAccount> Accounts { get; private set; } = [];

    public IReadOnlyList<Location> Locations { get; private set; } = [];

    public StaffAccount? Editing { get; private set; }

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    private IStaffDirectoryGrain Directory => grains.GetGrain<IStaffDirectoryGrain>(IStaffDirectoryGrain.Key);

    public static string RoleName(StaffRole role) => role switch
    {
        StaffRole.Admin => "Owner / administrator",
        StaffRole.FrontDesk => "Front desk",
        _ => "Provider",
    };

    public Task OnGetAsync(string? edit) => LoadAsync(edit);

    public Task<IActionResult> OnPostAddAsync(string? email, string? displayName, StaffRole role, string[]? locationIds, string? password) =>
        AttemptAsync(null, async () =>
        {
            var account = await Directory.AddAsync(new NewStaffAccount(email ?? "", displayName ?? "", role, [.. locationIds ?? []], signIn.Hash(password)));
            return $"{account.DisplayName} ({account.Email}) can now sign in.";
        });

    public Task<IActionResult> OnPostUpdateAsync(string id, string? displayName, StaffRole role, string[]? locationIds, bool active) =>
        AttemptAsync(id, async () =>
        {
            var account = await Directory.UpdateAsync(id, new StaffAccountUpdate(displayName ?? "", role, [.. locationIds ?? []], active));
            accounts.Forget(id);
            return $"{account.DisplayName} is saved.";
        });

    public Task<IActionResult> OnPostPasswordAsync(string id, string? password) =>
        AttemptAsync(id, async () =>
        {
            await Directory.SetPasswordHashAsync(id, signIn.Hash(password));
            accounts.Forget(id);
            return "The new password is set; their other sessions have ended.";
        });

    /// <summary>Runs a change; a refusal is shown on the page (with the form still open) and changes nothing.</summary>
    private async Task<IActionResult> AttemptAsync(string? id, Func<Task<string>> change)
    {
        try
        {
            Message = await change();
            id = null;
        }
        catch (CommandRejectedException refusal)
        {
            Error = refusal.Message;
        }

        await LoadAsync(id);
        return Page();
    }

    private async Task LoadAsync(string? edit)
    {
        Accounts = await Directory.ListAsync();
        Locations = (await grains.GetGrain<IPracticeGrain>(IPracticeGrain.Key).GetCatalogueAsync()).Locations;
        Editing = edit is null ? null : Accounts.FirstOrDefault(a => a.Id == edit);
    }
}
