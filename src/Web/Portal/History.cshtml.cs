using MedSpa.Billing;
using MedSpa.Members;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MedSpa.Web.Portal;

/// <summary>The member's billing history: every payment and refund, the card charges that were declined, and the agreement.</summary>
public sealed class HistoryModel(IGrainFactory grains) : PageModel
{
    public IReadOnlyList<PaymentView> Payments { get; private set; } = [];

    public IReadOnlyList<ChargeAttemptView> Declined { get; private set; } = [];

    public bool HasAgreement { get; private set; }

    public async Task OnGetAsync()
    {
        var member = grains.GetGrain<IMemberGrain>(User.MemberId()!);
        Payments = await member.GetPaymentsAsync();
        Declined = [.. (await member.GetChargeAttemptsAsync()).Where(a => a.Result is ChargeResult.SoftDecline or ChargeResult.HardDecline).OrderByDescending(a => a.AttemptedAt)];
        HasAgreement = (await member.GetMembershipAsync()).HasSignedAgreement;
    }
}
