using MedSpa.Members;
using MedSpa.Web.Billing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Configuration;

namespace MedSpa.Web.Portal;

/// <summary>
/// The member saves a card on a SetupIntent, as Stripe.js would, through the test-card picker while payments go to the
/// emulator. A card saved while money is owed is charged at once (the grain's recovery charge); the page says how that went.
/// </summary>
public sealed class CardModel(IGrainFactory grains, IConfiguration configuration) : PageModel
{
    public MembershipView Membership { get; private set; } = null!;

    public bool Picker => TestCardSetup.For(configuration) is not null;

    public string? Outcome { get; private set; }

    private IMemberGrain Member => grains.GetGrain<IMemberGrain>(User.MemberId()!);

    public async Task OnGetAsync() => Membership = await Member.GetMembershipAsync();

    public async Task<IActionResult> OnPostAsync(string? card)
    {
        var before = await Member.GetMembershipAsync();
        Membership = before;
        try
        {
            var setup = await Member.StartCardSetupAsync();
            var testCards = TestCardSetup.For(configuration)
                ?? throw new CommandRejectedException(RejectionKind.Invalid, "card_entry_unavailable", "Cards are entered with Stripe.js, which this portal does not load: please update your card at the front desk.");
            await testCards.ConfirmAsync(setup.SetupIntentId, card ?? "");
            Membership = await Member.CompleteCardSetupAsync(setup.SetupIntentId);
        }
        catch (CommandRejectedException refusal)
        {
            return this.Refused(refusal);
        }

        Outcome = Said(before, Membership);
        return Page();
    }

    private static string Said(MembershipView before, MembershipView after)
    {
        var owed = before.AmountDue is { } due ? PortalText.Amount(due) : "the amount due";
        return (before.Status, after.Status) switch
        {
            (MembershipStatus.PastDue or MembershipStatus.Suspended, MembershipStatus.Active) =>
                $"Your card is saved and was charged {owed}: your membership is active again.",
            (MembershipStatus.PastDue or MembershipStatus.Suspended, _) =>
                $"Your card is saved, but the payment of {owed} was declined again. Try another card.",
            (MembershipStatus.PendingPayment, MembershipStatus.Active) => $"Your card is saved and your first month ({owed}) is paid: welcome!",
            (MembershipStatus.PendingPayment, _) => "Your card is saved, but the first payment was declined. Try another card.",
            _ => "Your card is saved. Your next payments go on it.",
        };
    }
}
