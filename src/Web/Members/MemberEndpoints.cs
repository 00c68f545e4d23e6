using System.Security.Claims;
using System.Text.Json;
using MedSpa.Members;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

using static MedSpa.Web.Members.MemberRoute;

namespace MedSpa.Web.Members;

/// <summary><c>/api/v1/members</c>: clients, their enrolment and agreement, credits, histories, redemptions and checkouts.</summary>
public static class MemberEndpoints
{
    private const int DefaultSearchLimit = 50;

    public static RouteGroupBuilder MapMembers(this RouteGroupBuilder api)
    {
        var members = api.MapGroup("/members").WithTags("Members");

        members.MapPost("", async (NewClient request, IGrainFactory grains, TimeProvider clock) =>
        {
            var id = Identifiers.New("mem", clock.GetUtcNow());
            var profile = await grains.GetGrain<IMemberGrain>(id).RegisterAsync(request, Registrar.Staff);
            return Results.Created($"/api/v1/members/{id}", profile);
        }).WithSummary("Registers a client: name, email (their portal login), phone, home location.");

        members.MapGet("", (string? q, int? limit, IGrainFactory grains) =>
            grains.GetGrain<IMemberDirectoryGrain>(IMemberDirectoryGrain.Key).SearchAsync(q, limit ?? DefaultSearchLimit))
            .WithSummary("Finds clients by part of their name, email or phone.");

        var member = members.MapGroup("/{id}");
        member.MapGet("", (string id, IGrainFactory grains) => Member(grains, id).GetProfileAsync())
            .WithSummary("A client's profile.");

        member.MapPost("/enrolment", async (string id, EnrolmentRequest request, HttpContext http, IGrainFactory grains) =>
            await Member(grains, id).EnrolAsync(request, Signature(http)))
            .WithSummary("Enrols the client on a plan's current version with their e-signed agreement; the membership waits for its first payment.");
        member.MapGet("/agreement-preview", (string id, string planId, IGrainFactory grains) => Member(grains, id).PreviewAgreementAsync(planId))
            .WithSummary("The agreement the client would sign on the plan today, to read before signing.");
        member.MapGet("/membership", (string id, IGrainFactory grains) => Member(grains, id).GetMembershipAsync())
            .WithSummary("Status, plan, price, anchor day, next billing date and term end.");
        member.MapPost("/payment-method", (string id, PaymentMethodRequest request, IGrainFactory grains) => request switch
        {
            { PaymentMethodId: { Length: > 0 } pm, SetupIntentId: null or "" } => Member(grains, id).SavePaymentMethodAsync(pm),
            { SetupIntentId: { Length: > 0 } setup, PaymentMethodId: null or "" } => Member(grains, id).CompleteCardSetupAsync(setup),
            _ => throw new CommandRejectedException(RejectionKind.Invalid, "invalid_payment_method_request", "Give either \"paymentMethodId\" or a confirmed \"setupIntentId\"."),
        }).WithSummary("Makes a card the member's default, attached by id or confirmed on a card setup; a subscription payment due is charged on it at once.");
        member.MapPost("/card-setup", (string id, IGrainFactory grains) => Member(grains, id).StartCardSetupAsync())
            .WithSummary("Starts a card setup (a Stripe SetupIntent) for the member to confirm in the browser with its client secret.");
        member.MapGet("/charge-attempts", (string id, IGrainFactory grains) => Member(grains, id).GetChargeAttemptsAsync())
            .WithSummary("Every card charge attempt: when, how much, the outcome and the decline code.");
        member.MapPost("/refunds", (string id, RefundRequest request, IGrainFactory grains) => Member(grains, id).RefundPaymentAsync(request))
            .WithSummary("Refunds all or part of a card payment through the processor; idempotent by refundId. Returns the payments history.");
        member.MapPost("/desk-payments", (string id, DeskPayment payment, IGrainFactory grains) => Member(grains, id).RecordDeskPaymentAsync(payment))
            .WithSummary("Records the subscription payment due as taken at the desk (card terminal or cash); a paid period allocates credits.");
        member.MapGet("/agreement", (string id, IGrainFactory grains) => Member(grains, id).GetAgreementAsync())
            .WithSummary("The signed agreement: its text, hash, signer, instant, IP address and user agent.");
        member.MapGet("/agreement.pdf", async (string id, IGrainFactory grains) =>
        {
            var agreement = await Member(grains, id).GetAgreementAsync();
            var profile = await Member(grains, id).GetProfileAsync();
            return Results.File(AgreementPdf.Render(agreement, profile), "application/pdf", $"agreement-{id}.pdf");
        }).WithSummary("The signed agreement as a PDF.");

        member.MapGet("/credits", (string id, IGrainFactory grains) => Member(grains, id).GetCreditsAsync())
            .WithSummary("Balances per benefit with their lots and expiries.");
        member.MapGet("/ledger", (string id, IGrainFactory grains) => Member(grains, id).GetLedgerAsync())
            .WithSummary("Every change to every balance, with the balance after it.");
        member.MapGet("/payments", (string id, IGrainFactory grains) => Member(grains, id).GetPaymentsAsync())
            .WithSummary("Subscription, treatment, package and add-on payments.");
        member.MapGet("/events", async (string id, IGrainFactory grains) =>
            (await Member(grains, id).GetEventsAsync()).Select(e => new
            {
                e.Seq,
                e.Type,
                e.OccurredAt,
                Payload = JsonDocument.Parse(e.PayloadJson).RootElement,
            }))
            .WithSummary("The member's event log as stored: the audit trail.");

        member.MapPost("/redemptions", (string id, RedemptionRequest request, IGrainFactory grains) => Member(grains, id).RedeemAsync(request))
            .WithSummary("Uses credit, soonest-expiring first. Idempotent by redemptionId.");
        member.MapPost("/redemptions/{redemptionId}/void", (string id, string redemptionId, VoidRequest request, IGrainFactory grains) =>
            Member(grains, id).VoidRedemptionAsync(redemptionId, request.Reason))
            .WithSummary("Gives a redemption's credit back to the lots it came from.");
        member.MapPost("/credit-adjustments", (string id, CreditAdjustmentRequest request, IGrainFactory grains) => Member(grains, id).AdjustCreditsAsync(request))
            .WithSummary("Corrects a balance up or down; a reason is required. Idempotent by adjustmentId.");
        member.MapPost("/add-ons", (string id, AddOnPurchaseRequest request, IGrainFactory grains) => Member(grains, id).PurchaseAddOnAsync(request))
            .WithSummary("Sells one of the plan's add-ons, paid at the desk. Idempotent by purchaseId.");

        member.MapPost("/checkout-preview", (string id, Basket basket, IGrainFactory grains) => Member(grains, id).PreviewCheckoutAsync(basket))
            .WithSummary("Prices a basket exactly as the checkout would, changing nothing; also the booking preview.");
        member.MapPost("/checkouts", (string id, CheckoutRequest request, IGrainFactory grains) => Member(grains, id).CheckoutAsync(request))
            .WithSummary("Redeems the basket's credits and records what is left to pay. Replaying a checkoutId returns the first receipt.");
        return api;
    }

    public sealed record VoidRequest(string Reason);

    /// <summary>Body of <c>POST /payment-method</c>: <c>{"paymentMethodId": "pm_card_visa"}</c> or <c>{"setupIntentId": "seti_…"}</c>.</summary>
    public sealed record PaymentMethodRequest(string? PaymentMethodId = null, string? SetupIntentId = null);
}
