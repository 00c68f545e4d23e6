using MedSpa.Members;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MedSpa.Web.Portal;

/// <summary>A lapsed member accepts the plan's offer to come back, signing the agreement again in the portal.</summary>
public sealed class ReactivateModel(IGrainFactory grains, TimeProvider clock) : PageModel
{
    public MemberOverview Overview { get; private set; } = null!;

    public bool Rejoined { get; private set; }

    public async Task OnGetAsync() => Overview = await MemberOverview.LoadAsync(grains, User.MemberId()!, clock);

    public async Task<IActionResult> OnPostAsync(string? signedName, bool accepted)
    {
        var memberId = User.MemberId()!;
        try
        {
            await grains.GetGrain<IMemberGrain>(memberId).ReactivateAsync(
                new ReactivationRequest(new AgreementAcceptance(signedName ?? "", accepted)),
                new SignatureContext("portal", HttpContext.Connection.RemoteIpAddress?.ToString(), Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null));
            Rejoined = true;
        }
        catch (CommandRejectedException refusal)
        {
            Overview = await MemberOverview.LoadAsync(grains, memberId, clock);
            return this.Refused(refusal);
        }

        Overview = await MemberOverview.LoadAsync(grains, memberId, clock);
        return Page();
    }
}
