using MedSpa.Members;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MedSpa.Web.Portal;

/// <summary>
/// Cancelling from the portal: the obligation is quoted first (what remains to pay, when, and the end date; nothing is
/// recorded), and only the confirmation with a reason cancels. A pending cancellation can be withdrawn here.
/// </summary>
public sealed class CancelModel(IGrainFactory grains) : PageModel
{
    public MembershipView Membership { get; private set; } = null!;

    public CancellationView? Quote { get; private set; }

    private IMemberGrain Member => grains.GetGrain<IMemberGrain>(User.MemberId()!);

    public async Task<IActionResult> OnGetAsync()
    {
        try
        {
            await LoadAsync();
        }
        catch (CommandRejectedException refusal)
        {
            return this.Refused(refusal);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? reason, string? note, CancellationOption? option)
    {
        CancellationView outcome;
        try
        {
            outcome = await Member.CancelAsync(new CancellationRequest(reason, string.IsNullOrWhiteSpace(note) ? null : note, Confirm: true, Option: option));
        }
        catch (CommandRejectedException refusal)
        {
            return await RefusedAsync(refusal.Message, Problems.Problems.StatusFor(refusal.Kind));
        }

        return outcome.Stage switch
        {
            CancellationStage.PaymentDeclined => await RefusedAsync(
                $"Your card declined the {PortalText.Amount(outcome.BuyOutCharge)} payment, so nothing is cancelled. Update your card and try again, or keep paying until the term ends.",
                StatusCodes.Status402PaymentRequired),
            CancellationStage.PaymentUnknown => await RefusedAsync(
                "We couldn't tell whether your card was charged, so nothing is cancelled yet. Confirm again: you will never be charged twice.",
                StatusCodes.Status503ServiceUnavailable),
            _ => await ShowAsync(),
        };
    }

    public async Task<IActionResult> OnPostWithdrawAsync()
    {
        try
        {
            await Member.CancelAsync(new CancellationRequest(Withdraw: true));
        }
        catch (CommandRejectedException refusal)
        {
            return await RefusedAsync(refusal.Message, Problems.Problems.StatusFor(refusal.Kind));
        }

        return await ShowAsync();
    }

    private async Task<IActionResult> ShowAsync()
    {
        await LoadAsync();
        return Page();
    }

    private async Task<IActionResult> RefusedAsync(string message, int status)
    {
        try
        {
            await LoadAsync();
        }
        catch (CommandRejectedException)
        {
            // The quote itself is refused too (already cancelled): the first refusal is the one to show.
        }

        return this.Refused(message, status);
    }

    /// <summary>The membership, and the quote while nothing is pending (quoting records nothing).</summary>
    private async Task LoadAsync()
    {
        Membership = await Member.GetMembershipAsync();
        Quote = Membership.PendingCancellation is null ? await Member.CancelAsync(new CancellationRequest(Confirm: false)) : null;
    }
}
