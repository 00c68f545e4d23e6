using System.Text.Json;
using MedSpa.Members;
using MedSpa.Plans;
using MedSpa.Practice;
using MedSpa.Web.Access;
using MedSpa.Web.Billing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Configuration;

namespace MedSpa.Web.Members;

/// <summary>
/// <c>/members/{id}</c>: everything the desk needs about one client, and the desk's actions on them through the same
/// grain methods the API uses. Two-step actions (checkout, plan change, cancellation) show what would happen first and
/// carry the id of that step into the confirmation, so a double submit is one action.
/// </summary>
public sealed class MemberModel(IGrainFactory grains, TimeProvider clock, IConfiguration configuration) : PageModel
{
    private const int RecentNotices = 10;
    private const int LedgerLines = 100;

    /// <summary>What a provider may do on this page: read, and redeem at a checkout. Everything else is the desk's.</summary>
    private static readonly HashSet<string> ProviderHandlers = new(StringComparer.OrdinalIgnoreCase) { "Preview", "Checkout" };

    /// <summary>The reasons the rules accept for a cancellation, as the desk reads them.</summary>
    public static IReadOnlyList<(string Code, string Label)> CancellationReasons { get; } =
    [
        ("price", "Price"), ("relocation", "Moving away"), ("not_using", "Not using it"), ("results", "Results"), ("medical", "Medical"), ("other", "Other (say what)"),
    ];

    [FromRoute]
    public string Id { get; set; } = "";

    public MemberProfile Profile { get; private set; } = null!;

    public MembershipView Membership { get; private set; } = null!;

    public CreditsView Credits { get; private set; } = null!;

    public IReadOnlyList<LedgerEntry> Ledger { get; private set; } = [];

    public IReadOnlyList<PaymentView> Payments { get; private set; } = [];

    public IReadOnlyList<ChargeAttemptView> ChargeAttempts { get; private set; } = [];

    public IReadOnlyList<(DateTimeOffset At, string Kind, string Summary)> Notices { get; private set; } = [];

    public PracticeCatalogue Catalogue { get; private set; } = null!;

    public IReadOnlyList<Plan> Plans { get; private set; } = [];

    public bool Desk => StaffAccess.IsDesk(User);

    public bool TestCards => TestCardSetup.For(configuration) is not null;

    /// <summary>The problem the last action ran into, shown on the page; nothing was changed.</summary>
    public string? Problem { get; private set; }

    public string? ProblemCode { get; private set; }

    /// <summary>What the last action did.</summary>
    [TempData]
    public string? Done { get; set; }

    public CheckoutQuote? Preview { get; private set; }

    public CheckoutReceipt? Receipt { get; private set; }

    public PlanChangeOutcome? PlanQuote { get; private set; }

    public CancellationView? CancellationQuote { get; private set; }

    public (string? Reason, string? Note) CancellationReason { get; private set; }

    [BindProperty]
    public CheckoutForm Basket { get; set; } = new();

    /// <summary>A fresh idempotency id for a form shown now (a refund, a desk payment, a confirmation).</summary>
    public string NewId(string prefix) => Identifiers.New(prefix, clock.GetUtcNow());

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        // Razor Pages authorise a page, not a handler: the desk's actions are refused here for anyone else.
        if (context.HandlerMethod is { HttpMethod: "Post" } handler && !ProviderHandlers.Contains(handler.Name ?? "") && !StaffAccess.IsDesk(User))
        {
            context.Result = StatusCode(StatusCodes.Status403Forbidden);
            return;
        }

        // Staff limited to some locations neither see nor act on another location's members, as in the API.
        if (!await MaySeeAsync())
        {
            context.Result = NotFound();
            return;
        }

        await next();
    }

    private async Task<bool> MaySeeAsync()
    {
        try
        {
            return StaffAccess.MaySee(User, (await MemberRoute.Member(grains, Id).GetProfileAsync()).HomeLocationId);
        }
        catch (CommandRejectedException refusal) when (refusal.Kind == RejectionKind.NotFound)
        {
            return true; // the handler answers an unknown member itself
        }
    }

    public Task<IActionResult> OnGetAsync() => ShowAsync();

    public Task<IActionResult> OnPostPreviewAsync() => ActAsync(async member =>
    {
        Preview = await member.PreviewCheckoutAsync(Basket.ToBasket(await Practice()));
        Basket.CheckoutId = NewId("chk");
    });

    public Task<IActionResult> OnPostCheckoutAsync() => ActAsync(async member =>
    {
        if (string.IsNullOrEmpty(Basket.CheckoutId))
        {
            throw new CommandRejectedException(RejectionKind.Invalid, "preview_first", "Preview the checkout before confirming it.");
        }

        Receipt = await member.CheckoutAsync(new CheckoutRequest(Basket.CheckoutId, Basket.ToBasket(await Practice()), Basket.Settlement));
        Basket = new CheckoutForm();
    });

    public Task<IActionResult> OnPostAdjustAsync(string adjustmentId, string benefitKey, string? change, string? reason) => ActAsync(async member =>
    {
        var balance = (await member.GetCreditsAsync()).Balances.FirstOrDefault(b => b.BenefitKey == benefitKey)
            ?? throw new CommandRejectedException(RejectionKind.Invalid, "unknown_benefit", "Pick one of the member's balances.");
        var quantity = SignedQuantity(balance.Kind, change)
            ?? throw new CommandRejectedException(RejectionKind.Invalid, "invalid_quantity",
                balance.Kind == BenefitKind.DollarCredit ? "Type the change as an amount such as 25.00 or -25.00." : "Type the change as a whole number of units such as 1 or -1.");
        await member.AdjustCreditsAsync(new CreditAdjustmentRequest(adjustmentId, benefitKey, quantity, reason?.Trim() ?? ""));
        Done = $"{benefitKey} corrected by {MemberFormat.Quantity(balance.Kind, quantity, balance.Currency)}.";
    }, redirect: true);

    public Task<IActionResult> OnPostVoidAsync(string redemptionId, string? reason) => ActAsync(async member =>
    {
        await member.VoidRedemptionAsync(redemptionId, reason?.Trim() ?? "");
        Done = $"Redemption {redemptionId} voided; its credit is back.";
    }, redirect: true);

    public Task<IActionResult> OnPostRefundAsync(string refundId, string paymentId, string? amount, string? reason) => ActAsync(async member =>
    {
        var payment = (await member.GetPaymentsAsync()).FirstOrDefault(p => p.PaymentId == paymentId)
            ?? throw new CommandRejectedException(RejectionKind.NotFound, "payment_not_found", "There is no such payment.");
        Money? part = null;
        if (!string.IsNullOrWhiteSpace(amount))
        {
            part = MemberFormat.MinorUnits(amount) is { } cents
                ? new Money(cents, payment.Amount.Currency)
                : throw new CommandRejectedException(RejectionKind.Invalid, "invalid_amount", "Type the amount to refund such as 25.00, or leave it empty to refund it all.");
        }

        await member.RefundPaymentAsync(new RefundRequest(refundId, paymentId, part, string.IsNullOrWhiteSpace(reason) ? null : reason.Trim()));
        Done = $"Payment {paymentId} refunded{(part is null ? "" : $" {MemberFormat.Amount(part)}")}.";
    }, redirect: true);

    public Task<IActionResult> OnPostDeskPaymentAsync(string paymentId, PaymentMethodKind method, string? amount, string? reference) => ActAsync(async member =>
    {
        var due = (await member.GetMembershipAsync()).AmountDue
            ?? throw new CommandRejectedException(RejectionKind.Conflict, "nothing_due", "No subscription payment is due.");
        var cents = MemberFormat.MinorUnits(amount)
            ?? throw new CommandRejectedException(RejectionKind.Invalid, "invalid_amount", "Type the amount taken such as 199.00.");
        await member.RecordDeskPaymentAsync(new DeskPayment(paymentId, method, new Money(cents, due.Currency), string.IsNullOrWhiteSpace(reference) ? null : reference.Trim()));
        Done = $"Payment of {MemberFormat.Amount(new Money(cents, due.Currency))} recorded.";
    }, redirect: true);

    public Task<IActionResult> OnPostAddOnAsync(string purchaseId, string addOnKey, PaymentMethodKind method) => ActAsync(async member =>
    {
        await member.PurchaseAddOnAsync(new AddOnPurchaseRequest(purchaseId, addOnKey, method));
        Done = "Add-on sold; its credit is on the member's balance.";
    }, redirect: true);

    public Task<IActionResult> OnPostPlanQuoteAsync(string planId) => ActAsync(async member =>
        PlanQuote = await member.ChangePlanAsync(new PlanChangeRequest(planId, Confirm: false, ChangeId: NewId("chg"))));

    public Task<IActionResult> OnPostPlanChangeAsync(string planId, string changeId) => ActAsync(async member =>
    {
        var outcome = await member.ChangePlanAsync(new PlanChangeRequest(planId, Confirm: true, ChangeId: changeId));
        Done = outcome.Status switch
        {
            PlanChangeStatus.Applied => $"Now on the new plan; {MemberFormat.Amount(outcome.Charge)} charged for the rest of the period.",
            PlanChangeStatus.Scheduled => $"The plan changes on {MemberFormat.Date(outcome.EffectiveOn)}.",
            PlanChangeStatus.Withdrawn => "The scheduled plan change is withdrawn.",
            PlanChangeStatus.Declined => throw new CommandRejectedException(RejectionKind.Conflict, "payment_declined",
                $"The card declined the upgrade's charge ({outcome.DeclineCode}); the member stays on their plan."),
            PlanChangeStatus.Pending => throw new CommandRejectedException(RejectionKind.Unavailable, "payment_outcome_unknown",
                "The card processor has not answered yet; confirm again in a moment: it never charges twice."),
            _ => $"Plan change: {MemberFormat.Words(outcome.Status)}.",
        };
    }, redirect: true);

    public Task<IActionResult> OnPostPauseAsync(int? days, DateOnly? until) => ActAsync(async member =>
    {
        var paused = await member.PauseAsync(new PauseRequest(days, until));
        Done = $"Paused until {MemberFormat.Date(paused.PausedUntil)}; nothing is charged meanwhile and the next payment moves to {MemberFormat.Date(paused.NextBillingDate)}.";
    }, redirect: true);

    public Task<IActionResult> OnPostResumeAsync() => ActAsync(async member =>
    {
        var resumed = await member.ResumeAsync();
        Done = resumed.NextBillingDate is { } next
            ? $"Resumed today; nothing is charged now. The next payment, {MemberFormat.Amount(resumed.NextPrice)}, is on {MemberFormat.Date(next)}."
            : "Resumed today; nothing is charged now.";
    }, redirect: true);

    public Task<IActionResult> OnPostCancelQuoteAsync(string? reason, string? note) => ActAsync(async member =>
    {
        CancellationQuote = await member.CancelAsync(new CancellationRequest(reason, note, Confirm: false));
        // A quote records nothing, not even the reason: the confirmation carries it back.
        CancellationReason = (reason, note);
    });

    public Task<IActionResult> OnPostCancelAsync(string? reason, string? note, CancellationOption? option) => ActAsync(async member =>
    {
        var view = await member.CancelAsync(new CancellationRequest(reason, note, Confirm: true, Option: option));
        Done = view.Stage switch
        {
            CancellationStage.PaymentDeclined => throw new CommandRejectedException(RejectionKind.Conflict, "payment_declined",
                $"The card declined the buy-out charge ({view.DeclineCode}); nothing is cancelled. Update the card and confirm again, or continue to the term end."),
            CancellationStage.PaymentUnknown => throw new CommandRejectedException(RejectionKind.Unavailable, "payment_outcome_unknown",
                "The card processor did not say whether the buy-out was charged; nothing is cancelled yet. Confirm again: it never charges twice."),
            _ => CancellationWords.Confirmed(view, m => MemberFormat.Amount(m), d => MemberFormat.Date(d)),
        };
    }, redirect: true);

    public Task<IActionResult> OnPostWithdrawCancellationAsync() => ActAsync(async member =>
    {
        await member.CancelAsync(new CancellationRequest(Withdraw: true));
        Done = "The cancellation is withdrawn; the membership carries on.";
    }, redirect: true);

    public Task<IActionResult> OnPostCardAsync(string paymentMethodId) => ActAsync(async member =>
    {
        var cards = TestCardSetup.For(configuration)
            ?? throw new CommandRejectedException(RejectionKind.Conflict, "card_entry_needs_stripe_js",
                "With a real Stripe account the card is typed into Stripe.js, which is not available offline; nothing was saved.");
        var setup = await member.StartCardSetupAsync();
        await cards.ConfirmAsync(setup.SetupIntentId, paymentMethodId, HttpContext.RequestAborted);
        var owedBefore = (await member.GetMembershipAsync()).AmountDue;
        var saved = await member.CompleteCardSetupAsync(setup.SetupIntentId);
        // A card saved while a payment is due is charged at once: say whether the money was taken, not only that the card was kept.
        Done = (owedBefore, saved.AmountDue) switch
        {
            ({ } paid, null) => $"Card {saved.Card?.Brand} •••• {saved.Card?.Last4} saved as the default and charged {MemberFormat.Amount(paid)}.",
            (_, { } owed) => $"Card {saved.Card?.Brand} •••• {saved.Card?.Last4} saved as the default, but the {MemberFormat.Amount(owed)} payment due was declined: nothing was taken.",
            _ => $"Card {saved.Card?.Brand} •••• {saved.Card?.Last4} saved as the default.",
        };
    }, redirect: true);

    /// <summary>
    /// Runs an action on the member. A refusal is shown on the page with its code and the status the API would give,
    /// and nothing was changed; a success is shown on the page (the two-step forms) or after a redirect, so a reload
    /// does not post it again.
    /// </summary>
    private async Task<IActionResult> ActAsync(Func<IMemberGrain, Task> action, bool redirect = false)
    {
        try
        {
            await action(MemberRoute.Member(grains, Id));
        }
        catch (CommandRejectedException refusal) when (refusal.Code != "member_not_found")
        {
            Problem = refusal.Message;
            ProblemCode = refusal.Code;
            Done = null;
            Response.StatusCode = Problems.Problems.StatusFor(refusal.Kind);
            return await ShowAsync();
        }

        return redirect ? RedirectToPage(new { id = Id }) : await ShowAsync();
    }

    private async Task<IActionResult> ShowAsync()
    {
        IMemberGrain member;
        try
        {
            member = MemberRoute.Member(grains, Id);
            Profile = await member.GetProfileAsync();
        }
        catch (CommandRejectedException refusal) when (refusal.Code == "member_not_found")
        {
            return NotFound();
        }

        var membership = member.GetMembershipAsync();
        var credits = member.GetCreditsAsync();
        var ledger = member.GetLedgerAsync();
        var payments = member.GetPaymentsAsync();
        var attempts = member.GetChargeAttemptsAsync();
        var events = member.GetEventsAsync();
        var catalogue = Practice();
        var plans = grains.GetGrain<IPlanDirectoryGrain>(IPlanDirectoryGrain.Key).ListAsync();
        Membership = await membership;
        Credits = await credits;
        Ledger = (await ledger).Reverse().Take(LedgerLines).ToList();
        Payments = (await payments).OrderByDescending(p => p.At).ToList();
        ChargeAttempts = (await attempts).OrderByDescending(a => a.AttemptedAt).ToList();
        Notices = (await events).Where(e => e.Type == "notice_issued").Reverse().Take(RecentNotices).Select(Notice).ToList();
        Catalogue = await catalogue;
        Plans = await plans;
        return Page();
    }

    private Task<PracticeCatalogue> Practice() => grains.GetGrain<IPracticeGrain>(IPracticeGrain.Key).GetCatalogueAsync();

    private static (DateTimeOffset, string, string) Notice(RecordedEvent e)
    {
        using var payload = JsonDocument.Parse(e.PayloadJson);
        var root = payload.RootElement;
        return (e.OccurredAt, root.GetProperty("kind").GetString() ?? "", root.GetProperty("summary").GetString() ?? "");
    }

    /// <summary>Units are whole numbers; dollar credit is typed as money and kept in minor units. Either may be negative.</summary>
    private static long? SignedQuantity(BenefitKind kind, string? typed)
    {
        var text = typed?.Trim() ?? "";
        var negative = text.StartsWith('-');
        var magnitude = negative ? text[1..] : text;
        long? value = kind == BenefitKind.DollarCredit
            ? MemberFormat.MinorUnits(magnitude)
            : long.TryParse(magnitude, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var units) ? units : null;
        return negative ? -value : value;
    }

    /// <summary>The checkout form: how many of each service, an optional package sold outright, and how it is settled.</summary>
    public sealed class CheckoutForm
    {
        public Dictionary<string, int> Quantities { get; set; } = [];

        public string? PackageName { get; set; }

        public string? PackageServiceId { get; set; }

        public int? PackageSessions { get; set; }

        public string? PackagePrice { get; set; }

        public Settlement Settlement { get; set; } = Settlement.CardTerminal;

        /// <summary>Made when the preview is shown and posted with the confirmation: the checkout's idempotency id.</summary>
        public string? CheckoutId { get; set; }

        public Basket ToBasket(PracticeCatalogue catalogue)
        {
            var items = Quantities.Where(q => q.Value > 0).Select(q => new BasketItem(q.Key, q.Value)).ToList();
            if (!string.IsNullOrWhiteSpace(PackageName) || !string.IsNullOrWhiteSpace(PackageServiceId))
            {
                var price = MemberFormat.MinorUnits(PackagePrice)
                    ?? throw new CommandRejectedException(RejectionKind.Invalid, "invalid_package_price", "Type the package's price such as 900.00.");
                // A package is priced in the currency of the treatment it is a bundle of, like everything on the menu.
                var currency = catalogue.Services.FirstOrDefault(s => s.Id == PackageServiceId)?.Price.Currency
                    ?? throw new CommandRejectedException(RejectionKind.Invalid, "invalid_package_service", "Pick the treatment the package is sessions of.");
                items.Add(new BasketItem(Package: new PackageSale(PackageName?.Trim() ?? "", new Money(price, currency), PackageServiceId!, PackageSessions ?? 0)));
            }

            return items.Count > 0
                ? new Basket(items)
                : throw new CommandRejectedException(RejectionKind.Invalid, "empty_basket", "Pick at least one treatment or a package.");
        }
    }
}
