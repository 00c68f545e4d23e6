using System.Globalization;
using MedSpa.Web.Access;
using MedSpa.Web.Members;
using MedSpa.Live;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MedSpa.Web.Live;

/// <summary>
/// The compact member card: who, status, plan and balances, kept current by <c>/assets/live.js</c> through the
/// <c>data-live-*</c> attributes. Rendered from the same snapshot the hub pushes, so the first paint and every push
/// agree.
/// </summary>
public sealed class MemberCardModel(IGrainFactory grains) : PageModel
{
    public MemberSnapshot? Member { get; private set; }

    /// <summary>Why there is no member to show, as the rules put it.</summary>
    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id)
    {
        try
        {
            var member = await grains.GetGrain<ILiveMemberGrain>(id).GetSnapshotAsync();
            // Staff limited to some locations see another location's client as the API shows them: not at all.
            Member = StaffAccess.MaySee(User, member.HomeLocationId)
                ? member
                : throw new CommandRejectedException(RejectionKind.NotFound, "member_not_found", "There is no client with this id.");
        }
        catch (CommandRejectedException rejected) when (rejected.Kind == RejectionKind.NotFound)
        {
            Problem = rejected.Message;
            Response.StatusCode = StatusCodes.Status404NotFound;
        }

        return Page();
    }

    /// <summary>A balance as the desk writes it, and live.js after it.</summary>
    public static string Remaining(BenefitSnapshot benefit)
    {
        ArgumentNullException.ThrowIfNull(benefit);
        return MemberFormat.Quantity(benefit.Kind, benefit.Remaining, benefit.Currency);
    }

    public static string Expiry(BenefitSnapshot benefit)
    {
        ArgumentNullException.ThrowIfNull(benefit);
        return MemberFormat.Expiry(benefit.SoonestExpiry, benefit.Remaining > 0);
    }
}
