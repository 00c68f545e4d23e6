using MedSpa.Members;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MedSpa.Web.Portal;

/// <summary>A price increase the member was told of (the link in its notice): what changes, from when, and their confirmation.</summary>
public sealed class PriceChangeModel(IGrainFactory grains) : PageModel
{
    public MemberPriceChangeView Change { get; private set; } = null!;

    public MembershipView Membership { get; private set; } = null!;

    private IMemberGrain Member => grains.GetGrain<IMemberGrain>(User.MemberId()!);

    public async Task<IActionResult> OnGetAsync(string changeId) => await LoadAsync(changeId) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(string changeId)
    {
        if (!await LoadAsync(changeId))
        {
            return NotFound();
        }

        try
        {
            Change = await Member.ConfirmPriceIncreaseAsync(changeId, new PriceIncreaseConfirmation("portal"));
        }
        catch (CommandRejectedException refusal)
        {
            return this.Refused(refusal);
        }

        return Page();
    }

    /// <summary>False when the member was never told of this change: for them it does not exist.</summary>
    private async Task<bool> LoadAsync(string changeId)
    {
        Membership = await Member.GetMembershipAsync();
        Change = (await Member.GetPriceIncreaseAsync(changeId))!;
        return Change is not null;
    }
}
