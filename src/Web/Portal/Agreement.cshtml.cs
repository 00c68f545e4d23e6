using MedSpa.Members;
using MedSpa.Web.Members;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MedSpa.Web.Portal;

/// <summary>The signed agreement of the member's own enrolment, as the PDF staff download; 404 when they never signed one.</summary>
public sealed class AgreementModel(IGrainFactory grains) : PageModel
{
    public async Task<IActionResult> OnGetAsync()
    {
        var memberId = User.MemberId()!;
        var member = grains.GetGrain<IMemberGrain>(memberId);
        SignedAgreement agreement;
        try
        {
            agreement = await member.GetAgreementAsync();
        }
        catch (CommandRejectedException e) when (e.Kind == RejectionKind.NotFound)
        {
            return NotFound();
        }

        return File(AgreementPdf.Render(agreement, await member.GetProfileAsync()), "application/pdf", $"agreement-{memberId}.pdf");
    }
}
