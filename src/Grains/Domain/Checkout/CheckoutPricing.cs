using MedSpa.Members;
using MedSpa.Plans;
using MedSpa.Practice;

namespace MedSpa.Domain.Checkout;

/// <summary>
/// What pricing a basket needs to know: the menu, the benefits that apply (none when the basket is priced as a
/// non-member's), the usable balance of every benefit key, and why member pricing does not apply, if it does not.
/// </summary>
public sealed record PricingContext(
    IReadOnlyDictionary<string, Service> Services,
    IReadOnlyList<Benefit> Benefits,
    IReadOnlyDictionary<string, long> Balances,
    string Currency,
    PricingNotice? Notice = null);

/// <summary>
/// Prices a basket, treatment by treatment in basket order: package sessions of the service, then unit credits of the
/// service, then of its category, then dollar credits of the category, then the best member discount on what
/// remains (rounded half away from zero), then the rest is a per-treatment invoice line. Package sales are lines of
/// their own billing category. The checkout redeems exactly the credit uses of the quote.
/// </summary>
public static class CheckoutPricing
{
    public static CheckoutQuote Price(Basket basket, PricingContext context) => throw new NotImplementedException();
}
