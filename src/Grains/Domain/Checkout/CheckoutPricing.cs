using MedSpa.Domain.Credits;
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
    private const int MaxItems = 50;
    private const int MaxQuantity = 20;
    private const int MaxPackageNameLength = 100;
    private const int MaxPackageSessions = 100;
    private const int MaxPackageValidForDays = 1095;

    public static CheckoutQuote Price(Basket basket, PricingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var items = Validate(basket, context);
        var memberPricing = context.Benefits.Count > 0;
        var balances = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, balance) in context.Balances)
        {
            balances[key] = Math.Max(0, balance);
        }

        var lines = new List<QuoteLine>();
        foreach (var item in items)
        {
            if (item.Package is { } package)
            {
                lines.Add(PackageLine(package, context.Currency));
                continue;
            }

            var service = context.Services[item.ServiceId!];
            for (var i = 0; i < item.Quantity; i++)
            {
                lines.Add(TreatmentLine(service, memberPricing, context, balances));
            }
        }

        var currency = context.Currency;
        var subtotal = lines.Sum(l => l.ListPrice.Amount);
        var credits = lines.Sum(l => l.Credits.Sum(c => c.Value.Amount));
        var discount = lines.Sum(l => l.Discount.Amount);
        var due = lines.Sum(l => l.AmountDue.Amount);
        return new CheckoutQuote(
            lines,
            new Money(subtotal, currency),
            new Money(credits, currency),
            new Money(discount, currency),
            new Money(due, currency),
            memberPricing,
            context.Notice);
    }

    private static QuoteLine TreatmentLine(Service service, bool memberPricing, PricingContext context, Dictionary<string, long> balances)
    {
        var listPrice = service.Price.Amount;
        var remaining = listPrice;
        var uses = new List<CreditUse>();

        // A session bought outright is the client's own money already spent on this service, so it goes first and is
        // honoured even when member pricing is not.
        var sessionKeys = memberPricing
            ? new[] { BenefitKeys.Package(service.Id), BenefitKeys.Units(service.Id), BenefitKeys.Units(service.Category) }
            : [BenefitKeys.Package(service.Id)];
        foreach (var key in sessionKeys)
        {
            // A free treatment never spends a credit the client could use on a paid one.
            if (remaining > 0 && Take(balances, key, 1) == 1)
            {
                uses.Add(new CreditUse(key, BenefitKind.TreatmentUnits, 1, new Money(remaining, context.Currency)));
                remaining = 0;
            }
        }

        var discount = 0L;
        if (memberPricing)
        {
            var dollarsKey = BenefitKeys.Dollars(service.Category);
            var dollars = Take(balances, dollarsKey, remaining);
            if (dollars > 0)
            {
                uses.Add(new CreditUse(dollarsKey, BenefitKind.DollarCredit, dollars, new Money(dollars, context.Currency)));
                remaining -= dollars;
            }

            discount = PercentOf(remaining, BestDiscount(context.Benefits, service));
        }

        return new QuoteLine(
            service.Name,
            BillingCategory.Treatment,
            service.Id,
            service.Price,
            uses,
            new Money(discount, context.Currency),
            new Money(remaining - discount, context.Currency));
    }

    private static QuoteLine PackageLine(PackageSale package, string currency) => new(
        package.Name.Trim(),
        BillingCategory.Package,
        package.ServiceId,
        package.Price,
        [],
        new Money(0, currency),
        package.Price);

    /// <summary>Takes up to <paramref name="wanted"/> from the running balance and says how much it got.</summary>
    private static long Take(Dictionary<string, long> balances, string key, long wanted)
    {
        if (wanted <= 0 || !balances.TryGetValue(key, out var balance) || balance <= 0)
        {
            return 0;
        }

        var taken = Math.Min(balance, wanted);
        balances[key] = balance - taken;
        return taken;
    }

    /// <summary>
    /// The best of the plan's discounts that covers this treatment: those of its category, of the service itself,
    /// or of all retail. Percentages outside 0–100 are treated as their nearest bound, so a line never goes negative.
    /// </summary>
    private static int BestDiscount(IReadOnlyList<Benefit> benefits, Service service) =>
        benefits
            .Where(b => b.Kind == BenefitKind.Discount
                && (b.Category is null || string.Equals(b.Category, service.Category, StringComparison.Ordinal))
                && (b.ServiceId is null || string.Equals(b.ServiceId, service.Id, StringComparison.Ordinal)))
            .Select(b => Math.Clamp(b.Percent ?? 0, 0, 100))
            .DefaultIfEmpty(0)
            .Max();

    /// <summary>
    /// <paramref name="percent"/> % of a non-negative amount, rounded half away from zero, in integers so no binary
    /// fraction can tip a half cent either way: floor(amount × percent / 100 + ½) = (amount × percent + 50) div 100.
    /// </summary>
    private static long PercentOf(long amount, int percent) => ((amount * percent) + 50) / 100;

    private static IReadOnlyList<BasketItem> Validate(Basket basket, PricingContext context)
    {
        var items = basket?.Items ?? [];
        if (items.Count == 0)
        {
            throw Reject.Invalid("empty_basket", "A basket needs at least one treatment or package.");
        }

        if (items.Count > MaxItems)
        {
            throw Reject.Invalid("basket_too_large", $"A basket holds at most {MaxItems} items.");
        }

        foreach (var item in items)
        {
            if (item is null || (item.ServiceId is null) == (item.Package is null))
            {
                throw Reject.Invalid("invalid_basket_item", "Each basket item is either a service (serviceId) or a package, not both.");
            }

            if (item.Quantity is < 1 or > MaxQuantity)
            {
                throw Reject.Invalid("invalid_quantity", $"A quantity is from 1 to {MaxQuantity}.");
            }

            if (item.Package is { } package)
            {
                ValidatePackage(package, item.Quantity, context);
            }
            else
            {
                RequireCurrency(RequireService(item.ServiceId!, context).Price, context);
            }
        }

        return items;
    }

    private static void ValidatePackage(PackageSale package, int quantity, PricingContext context)
    {
        // Each package sold becomes one lot of sessions with its own validity; two of them are two items, so the
        // quote's lines and the lots granted at checkout stay one-to-one.
        if (quantity != 1)
        {
            throw Reject.Invalid("invalid_quantity", "A package is sold one at a time; add it to the basket again to sell another.");
        }

        var name = package.Name?.Trim() ?? "";
        if (name.Length is 0 or > MaxPackageNameLength)
        {
            throw Reject.Invalid("invalid_package", $"A package needs a name of 1 to {MaxPackageNameLength} characters.");
        }

        var price = Prices.Require(package.Price);
        if (price.Amount <= 0)
        {
            throw Reject.Invalid("invalid_package", "A package is sold for a price above zero.");
        }

        if (package.Sessions is < 1 or > MaxPackageSessions)
        {
            throw Reject.Invalid("invalid_package", $"A package holds 1 to {MaxPackageSessions} sessions.");
        }

        if (package.ValidForDays is < 1 or > MaxPackageValidForDays)
        {
            throw Reject.Invalid("invalid_package", $"A package is valid for 1 to {MaxPackageValidForDays} days.");
        }

        if (package.ServiceId is null)
        {
            throw Reject.Invalid("invalid_package", "A package is sessions of one service; it needs a serviceId.");
        }

        RequireService(package.ServiceId, context);
        RequireCurrency(price, context);
    }

    private static Service RequireService(string serviceId, PricingContext context) =>
        context.Services.TryGetValue(serviceId, out var service)
            ? service
            : throw Reject.Invalid("unknown_service", $"There is no service {serviceId} on the menu.");

    private static void RequireCurrency(Money price, PricingContext context)
    {
        if (!string.Equals(price.Currency, context.Currency, StringComparison.Ordinal))
        {
            throw Reject.Invalid("currency_mismatch", $"Prices in {price.Currency} cannot be charged in {context.Currency}.");
        }
    }
}
