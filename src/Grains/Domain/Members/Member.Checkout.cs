using System.Text.Json;
using MedSpa.Domain.Checkout;
using MedSpa.Domain.Credits;
using MedSpa.Members;
using MedSpa.Plans;
using MedSpa.Practice;

namespace MedSpa.Domain.Members;

public sealed partial record Member
{
    /// <summary>
    /// The basket priced for this client: as a member while the membership's benefits can be used, otherwise as a
    /// non-member (with the reason). Frozen credits are not offered at all. This is the booking preview too.
    /// A suspended member's checkout is therefore never refused: no credit or member discount is used (the reason,
    /// <c>membership_suspended</c>, is on the quote) and every treatment is paid at its full price, as any client's would
    /// be. A clinic takes a paying visit whatever the state of the membership; what a suspension blocks is using what the
    /// membership includes, which <see cref="Redeem"/> and <see cref="RequireBookable"/> refuse outright.
    /// </summary>
    public CheckoutQuote PriceBasket(Basket basket, IReadOnlyList<Service> services, DateTimeOffset now)
    {
        RequireProfile();
        var notice = Enrolment is null ? null : MembershipBenefitsBlocked;
        var benefits = Enrolment is { } enrolment && notice is null ? enrolment.Plan.Terms.Benefits : [];
        var balances = Credits.FrozenSince is not null
            ? new Dictionary<string, long>()
            : Credits.Lots.Select(l => l.BenefitKey).Distinct().ToDictionary(key => key, key => Credits.Available(key, now));
        var currency = Enrolment?.Price.Currency ?? (services.Count > 0 ? services[0].Price.Currency : "usd");
        return CheckoutPricing.Price(basket ?? new Basket([]), new PricingContext(services.ToDictionary(s => s.Id), benefits, balances, currency, notice));
    }

    /// <summary>
    /// Redeems exactly the credit uses of the quote, sells the packages, and records what is left to pay per billing
    /// category: paid at the desk, or left as an open invoice. Replaying a checkout id returns the first receipt.
    /// </summary>
    public IReadOnlyList<MemberEvent> Checkout(CheckoutRequest request, IReadOnlyList<Service> services, DateTimeOffset now)
    {
        RequireProfile();
        var checkoutId = RequireReference(request.CheckoutId, "checkout id", "invalid_checkout_id");
        if (Checkouts.TryGetValue(checkoutId, out var completed))
        {
            return SameRequest(completed.Request, request with { CheckoutId = checkoutId })
                ? []
                : throw Reject.Conflict("checkout_id_reused", $"Checkout {checkoutId} was already completed with another basket.");
        }

        var quote = PriceBasket(request.Basket, services, now);
        var decision = new Decision(this).Add(Credits.ExpireDue(now));
        var redemptionIds = new List<string>();
        foreach (var (line, use) in quote.Lines.SelectMany(line => line.Credits.Select(use => (line, use))))
        {
            var redemptionId = $"red_{checkoutId}_{redemptionIds.Count + 1}";
            redemptionIds.Add(redemptionId);
            decision.Add(decision.State.Credits.Redeem(new RedemptionRequest(redemptionId, use.BenefitKey, use.Quantity, line.ServiceId), checkoutId, now));
        }

        foreach (var package in request.Basket.Items.Select(i => i.Package).OfType<PackageSale>())
        {
            decision.Add(decision.State.Credits.Grant(
                BenefitKeys.Package(package.ServiceId), BenefitKind.TreatmentUnits, LotSource.Package, package.Sessions, now.AddDays(package.ValidForDays), checkoutId, now));
        }

        var paymentIds = new List<string>();
        foreach (var category in new[] { BillingCategory.Treatment, BillingCategory.Package })
        {
            var owed = quote.Lines.Where(l => l.Category == category).Sum(l => l.AmountDue.Amount);
            if (owed > 0)
            {
                var paymentId = Identifiers.New("pay", now);
                paymentIds.Add(paymentId);
                decision.Add(new PaymentRecorded(
                    paymentId, category, new Money(owed, quote.AmountDue.Currency), SettledWith(request.Settlement),
                    request.Settlement == Settlement.Invoice ? PaymentStatus.Open : PaymentStatus.Succeeded, CheckoutId: checkoutId) { OccurredAt = now });
            }
        }

        var receipt = new CheckoutReceipt(checkoutId, quote, redemptionIds, paymentIds, request.Settlement, now);
        return decision.Add(new CheckoutCompleted(request with { CheckoutId = checkoutId }, receipt) { OccurredAt = now }).Events;
    }

    public CheckoutReceipt RequireCheckout(string checkoutId) =>
        Checkouts.TryGetValue(checkoutId.Trim(), out var completed)
            ? completed.Receipt
            : throw Reject.NotFound("checkout_not_found", $"There is no checkout {checkoutId}.");

    private static PaymentMethodKind? SettledWith(Settlement settlement) => settlement switch
    {
        Settlement.CardTerminal => PaymentMethodKind.CardTerminal,
        Settlement.Cash => PaymentMethodKind.Cash,
        _ => null,
    };

    // Records holding lists compare lists by reference; the serialized form compares what was asked for.
    private static bool SameRequest(CheckoutRequest first, CheckoutRequest second) =>
        JsonSerializer.Serialize(first) == JsonSerializer.Serialize(second);
}
