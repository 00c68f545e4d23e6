using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using MedSpa.Domain.Checkout;
using MedSpa.Members;
using MedSpa.Plans;
using MedSpa.Practice;

namespace MedSpa.Domain.Tests.Checkout;

public sealed class CheckoutPricingTests
{
    internal static readonly Service Botox = new("svc_botox", "Botox", "neurotoxin", Usd(45_000), 30);
    internal static readonly Service Dysport = new("svc_dysport", "Dysport", "neurotoxin", Usd(40_000), 30);
    internal static readonly Service HydraFacial = new("svc_hydrafacial", "HydraFacial", "facial", Usd(19_905), 60);
    internal static readonly Service Filler = new("svc_filler", "Lip filler", "filler", Usd(70_000), 45);
    internal static readonly Service Consultation = new("svc_consult", "Consultation", "consult", Usd(0), 15);

    internal static readonly IReadOnlyDictionary<string, Service> Menu =
        new[] { Botox, Dysport, HydraFacial, Filler, Consultation }.ToDictionary(s => s.Id);

    /// <summary>One Botox a month, $50 of facial credit, 10% off filler and 5% off everything.</summary>
    internal static readonly IReadOnlyList<Benefit> Premium =
    [
        new(BenefitKind.TreatmentUnits, ServiceId: Botox.Id, Units: 1, Key: "units:svc_botox"),
        new(BenefitKind.DollarCredit, Category: "facial", Amount: Usd(5_000), Key: "dollars:facial"),
        new(BenefitKind.Discount, Category: "filler", Percent: 10, Key: "discount:filler"),
        new(BenefitKind.Discount, Percent: 5, Key: "discount:all"),
    ];

    private static Money Usd(long amount) => new(amount, "usd");

    private static PricingContext Member(params (string Key, long Balance)[] balances) =>
        new(Menu, Premium, balances.ToDictionary(b => b.Key, b => b.Balance), "usd");

    private static PricingContext NonMember(params (string Key, long Balance)[] balances) =>
        new(Menu, [], balances.ToDictionary(b => b.Key, b => b.Balance), "usd");

    private static Basket Treatments(params (Service Service, int Quantity)[] items) =>
        new(items.Select(i => new BasketItem(i.Service.Id, i.Quantity)).ToList());

    private static PackageSale BotoxPackage(long price = 120_000) => new("Botox x3", Usd(price), Botox.Id, 3, 365);

    [Fact]
    public void A_unit_credit_covers_the_whole_treatment()
    {
        var quote = CheckoutPricing.Price(Treatments((Botox, 1)), Member(("units:svc_botox", 1)));

        var line = Assert.Single(quote.Lines);
        Assert.Equal(("Botox", BillingCategory.Treatment, "svc_botox", Usd(45_000)), (line.Description, line.Category, line.ServiceId, line.ListPrice));
        Assert.Equal(new CreditUse("units:svc_botox", BenefitKind.TreatmentUnits, 1, Usd(45_000)), Assert.Single(line.Credits));
        Assert.Equal((Usd(0), Usd(0)), (line.Discount, line.AmountDue));
        Assert.Equal((Usd(45_000), Usd(45_000), Usd(0), Usd(0)), (quote.Subtotal, quote.CreditsApplied, quote.DiscountApplied, quote.AmountDue));
        Assert.True(quote.MemberPricing);
        Assert.Null(quote.Notice);
    }

    [Fact]
    public void A_second_Botox_with_one_unit_left_is_invoiced_with_the_discount()
    {
        var quote = CheckoutPricing.Price(Treatments((Botox, 2)), Member(("units:svc_botox", 1)));

        Assert.Equal(2, quote.Lines.Count);
        Assert.Single(quote.Lines[0].Credits);
        var second = quote.Lines[1];
        Assert.Empty(second.Credits);
        Assert.Equal((Usd(2_250), Usd(42_750)), (second.Discount, second.AmountDue));
        Assert.Equal((Usd(90_000), Usd(45_000), Usd(2_250), Usd(42_750)), (quote.Subtotal, quote.CreditsApplied, quote.DiscountApplied, quote.AmountDue));
    }

    [Fact]
    public void Dollar_credit_covers_part_of_a_facial_and_the_discount_rounds_half_cents_away_from_zero()
    {
        // $199.05 − $50.00 of credit leaves $149.05, and 5% of it is 745.25 cents.
        var quote = CheckoutPricing.Price(Treatments((HydraFacial, 1)), Member(("dollars:facial", 5_000)));

        var line = Assert.Single(quote.Lines);
        Assert.Equal(new CreditUse("dollars:facial", BenefitKind.DollarCredit, 5_000, Usd(5_000)), Assert.Single(line.Credits));
        Assert.Equal((Usd(745), Usd(14_160)), (line.Discount, line.AmountDue));

        // $50.15 of credit leaves $148.90: 5% is 744.5 cents, which is 745 away from zero (banker's rounding says 744).
        var halfWay = CheckoutPricing.Price(Treatments((HydraFacial, 1)), Member(("dollars:facial", 5_015)));
        Assert.Equal((Usd(745), Usd(14_145)), (halfWay.Lines[0].Discount, halfWay.Lines[0].AmountDue));
    }

    [Theory]
    [InlineData(70_005, 7_001)] // 7000.5 → 7001, not the even 7000
    [InlineData(70_015, 7_002)] // 7001.5 → 7002
    [InlineData(70_004, 7_000)] // 7000.4 → 7000
    [InlineData(70_006, 7_001)] // 7000.6 → 7001
    public void The_member_discount_rounds_half_away_from_zero(long fillerPrice, long expectedDiscount)
    {
        var filler = Filler with { Price = Usd(fillerPrice) };
        var menu = new Dictionary<string, Service>(Menu) { [filler.Id] = filler };
        var quote = CheckoutPricing.Price(Treatments((filler, 1)), new PricingContext(menu, Premium, new Dictionary<string, long>(), "usd"));

        Assert.Equal(Usd(expectedDiscount), quote.Lines[0].Discount);
        Assert.Equal(Usd(fillerPrice - expectedDiscount), quote.Lines[0].AmountDue);
    }

    [Fact]
    public void The_best_discount_for_the_category_wins_over_the_all_retail_one()
    {
        var quote = CheckoutPricing.Price(Treatments((Filler, 1)), Member());

        Assert.Equal((Usd(7_000), Usd(63_000)), (quote.Lines[0].Discount, quote.Lines[0].AmountDue));
    }

    [Fact]
    public void A_category_unit_credit_covers_any_treatment_of_the_category()
    {
        var quote = CheckoutPricing.Price(Treatments((Dysport, 1)), Member(("units:neurotoxin", 2), ("units:svc_botox", 1)));

        Assert.Equal(new CreditUse("units:neurotoxin", BenefitKind.TreatmentUnits, 1, Usd(40_000)), Assert.Single(quote.Lines[0].Credits));
        Assert.Equal(Usd(0), quote.AmountDue);
    }

    [Fact]
    public void The_service_unit_credit_is_used_before_the_category_one()
    {
        var quote = CheckoutPricing.Price(Treatments((Botox, 2)), Member(("units:neurotoxin", 1), ("units:svc_botox", 1)));

        string[] expected = ["units:svc_botox", "units:neurotoxin"];
        Assert.Equal(expected, quote.Lines.Select(l => Assert.Single(l.Credits).BenefitKey));
        Assert.Equal(Usd(0), quote.AmountDue);
    }

    [Fact]
    public void A_package_session_is_used_before_the_membership_credits()
    {
        var quote = CheckoutPricing.Price(Treatments((Botox, 2)), Member(("package:svc_botox", 1), ("units:svc_botox", 1)));

        string[] expected = ["package:svc_botox", "units:svc_botox"];
        Assert.Equal(expected, quote.Lines.Select(l => Assert.Single(l.Credits).BenefitKey));
        Assert.Equal(new CreditUse("package:svc_botox", BenefitKind.TreatmentUnits, 1, Usd(45_000)), quote.Lines[0].Credits[0]);
    }

    [Fact]
    public void A_non_member_pays_the_list_price()
    {
        var quote = CheckoutPricing.Price(Treatments((Botox, 1), (Filler, 1)), NonMember(("units:svc_botox", 3), ("dollars:facial", 5_000)));

        Assert.All(quote.Lines, l => Assert.Empty(l.Credits));
        Assert.All(quote.Lines, l => Assert.Equal(Usd(0), l.Discount));
        Assert.Equal((Usd(115_000), Usd(0), Usd(0), Usd(115_000)), (quote.Subtotal, quote.CreditsApplied, quote.DiscountApplied, quote.AmountDue));
        Assert.False(quote.MemberPricing);
    }

    [Fact]
    public void A_suspended_member_gets_no_credits_or_discount_and_is_told_why()
    {
        var notice = new PricingNotice("membership_suspended", "The membership is suspended until the overdue payment is made.");
        var context = NonMember(("units:svc_botox", 1), ("dollars:facial", 5_000)) with { Notice = notice };

        var quote = CheckoutPricing.Price(Treatments((Botox, 1), (HydraFacial, 1)), context);

        Assert.Equal(Usd(45_000 + 19_905), quote.AmountDue);
        Assert.Equal(Usd(0), quote.CreditsApplied);
        Assert.False(quote.MemberPricing);
        Assert.Equal(notice, quote.Notice);
    }

    [Fact]
    public void Package_sessions_are_honoured_without_member_pricing()
    {
        var quote = CheckoutPricing.Price(Treatments((Botox, 1)), NonMember(("package:svc_botox", 2)));

        Assert.Equal("package:svc_botox", Assert.Single(quote.Lines[0].Credits).BenefitKey);
        Assert.Equal(Usd(0), quote.AmountDue);
    }

    [Fact]
    public void A_quantity_is_priced_as_that_many_treatments_against_the_running_balance()
    {
        var quote = CheckoutPricing.Price(Treatments((HydraFacial, 3)), Member(("dollars:facial", 25_000)));

        Assert.Equal(3, quote.Lines.Count);
        long[] creditPerLine = [19_905, 5_095, 0];
        Assert.Equal(creditPerLine, quote.Lines.Select(l => l.Credits.Sum(c => c.Quantity)));
        Assert.Equal(Usd(25_000), quote.CreditsApplied);
        Assert.Equal(Usd((19_905 * 3) - 25_000 - quote.DiscountApplied.Amount), quote.AmountDue);
    }

    [Fact]
    public void A_free_treatment_spends_no_credit()
    {
        var quote = CheckoutPricing.Price(Treatments((Consultation, 1)), Member(("units:consult", 1), ("package:svc_consult", 1)));

        Assert.Empty(quote.Lines[0].Credits);
        Assert.Equal(Usd(0), quote.AmountDue);
    }

    [Fact]
    public void A_package_sale_is_its_own_line_at_full_price()
    {
        var basket = new Basket([new BasketItem(Package: BotoxPackage()), new BasketItem(Botox.Id)]);

        var quote = CheckoutPricing.Price(basket, Member(("units:svc_botox", 1)));

        var sale = quote.Lines[0];
        Assert.Equal(("Botox x3", BillingCategory.Package, "svc_botox", Usd(120_000)), (sale.Description, sale.Category, sale.ServiceId, sale.ListPrice));
        Assert.Empty(sale.Credits);
        Assert.Equal((Usd(0), Usd(120_000)), (sale.Discount, sale.AmountDue));
        Assert.Equal(Usd(120_000), quote.AmountDue);
    }

    public static TheoryData<string, Basket> Refused() => new()
    {
        { "empty_basket", new Basket([]) },
        { "basket_too_large", new Basket(Enumerable.Repeat(new BasketItem(Botox.Id), 51).ToList()) },
        { "invalid_basket_item", new Basket([new BasketItem()]) },
        { "invalid_basket_item", new Basket([new BasketItem(Botox.Id, Package: BotoxPackage())]) },
        { "invalid_quantity", new Basket([new BasketItem(Botox.Id, 0)]) },
        { "invalid_quantity", new Basket([new BasketItem(Botox.Id, 21)]) },
        { "invalid_quantity", new Basket([new BasketItem(Package: BotoxPackage(), Quantity: 2)]) },
        { "unknown_service", new Basket([new BasketItem("svc_nope")]) },
        { "unknown_service", new Basket([new BasketItem(Package: BotoxPackage() with { ServiceId = "svc_nope" })]) },
        { "invalid_package", new Basket([new BasketItem(Package: BotoxPackage() with { Name = " " })]) },
        { "invalid_package", new Basket([new BasketItem(Package: BotoxPackage() with { Name = new string('x', 101) })]) },
        { "invalid_package", new Basket([new BasketItem(Package: BotoxPackage(price: 0))]) },
        { "invalid_package", new Basket([new BasketItem(Package: BotoxPackage() with { Sessions = 0 })]) },
        { "invalid_package", new Basket([new BasketItem(Package: BotoxPackage() with { Sessions = 101 })]) },
        { "invalid_package", new Basket([new BasketItem(Package: BotoxPackage() with { ValidForDays = 0 })]) },
        { "invalid_package", new Basket([new BasketItem(Package: BotoxPackage() with { ValidForDays = 1096 })]) },
        { "invalid_amount", new Basket([new BasketItem(Package: BotoxPackage(price: -1))]) },
        { "invalid_currency", new Basket([new BasketItem(Package: BotoxPackage() with { Price = new Money(100, "USD") })]) },
        { "currency_mismatch", new Basket([new BasketItem(Package: BotoxPackage() with { Price = new Money(100, "cad") })]) },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_malformed_basket_is_refused_with_a_stable_code(string code, Basket basket)
    {
        var refusal = Assert.Throws<CommandRejectedException>(() => CheckoutPricing.Price(basket, Member()));

        Assert.Equal((code, RejectionKind.Invalid), (refusal.Code, refusal.Kind));
    }

    [Fact]
    public void A_service_priced_in_another_currency_is_refused()
    {
        var context = Member() with { Currency = "cad" };

        var refusal = Assert.Throws<CommandRejectedException>(() => CheckoutPricing.Price(Treatments((Botox, 1)), context));

        Assert.Equal("currency_mismatch", refusal.Code);
    }

    [Property(Arbitrary = new[] { typeof(PricingScenarios) }, MaxTest = 500)]
    public bool Every_quote_adds_up_never_overdraws_a_balance_and_is_deterministic(PricingScenario scenario)
    {
        var context = new PricingContext(Menu, scenario.Benefits, scenario.Balances, "usd");
        var quote = CheckoutPricing.Price(scenario.Basket, context);

        var linesAddUp = quote.Lines.All(l =>
            l.ListPrice.Amount >= 0 && l.Discount.Amount >= 0 && l.AmountDue.Amount >= 0
            && l.Credits.All(c => c.Quantity > 0 && c.Value.Amount >= 0)
            && l.ListPrice.Amount == l.Credits.Sum(c => c.Value.Amount) + l.Discount.Amount + l.AmountDue.Amount);
        var totalsAddUp =
            quote.AmountDue.Amount == quote.Subtotal.Amount - quote.CreditsApplied.Amount - quote.DiscountApplied.Amount
            && quote.Subtotal.Amount == quote.Lines.Sum(l => l.ListPrice.Amount)
            && quote.CreditsApplied.Amount == quote.Lines.Sum(l => l.Credits.Sum(c => c.Value.Amount))
            && quote.DiscountApplied.Amount == quote.Lines.Sum(l => l.Discount.Amount)
            && quote.AmountDue.Amount == quote.Lines.Sum(l => l.AmountDue.Amount);
        var neverOverdrawn = quote.Lines
            .SelectMany(l => l.Credits)
            .GroupBy(c => c.BenefitKey)
            .All(g => g.Sum(c => c.Quantity) <= scenario.Balances.GetValueOrDefault(g.Key));
        var nonMemberGetsSessionsOnly = scenario.Benefits.Count > 0
            || (quote.DiscountApplied.Amount == 0 && quote.Lines.SelectMany(l => l.Credits).All(c => c.BenefitKey.StartsWith("package:", StringComparison.Ordinal)));
        var deterministic = JsonSerializer.Serialize(quote) == JsonSerializer.Serialize(CheckoutPricing.Price(scenario.Basket, context));

        return linesAddUp && totalsAddUp && neverOverdrawn && nonMemberGetsSessionsOnly && deterministic;
    }
}

/// <summary>A random basket against random balances, priced with a random selection of benefits (none: a non-member).</summary>
public sealed record PricingScenario(Basket Basket, IReadOnlyList<Benefit> Benefits, IReadOnlyDictionary<string, long> Balances)
{
    public override string ToString() =>
        $"basket: {JsonSerializer.Serialize(Basket)}\nbenefits: {JsonSerializer.Serialize(Benefits)}\nbalances: {JsonSerializer.Serialize(Balances)}";
}

public static class PricingScenarios
{
    private static readonly string[] Keys =
    [
        "units:svc_botox", "units:svc_dysport", "units:neurotoxin", "units:svc_hydrafacial", "units:facial",
        "units:consult", "dollars:facial", "dollars:filler", "dollars:neurotoxin", "dollars:consult",
        "package:svc_botox", "package:svc_hydrafacial", "package:svc_filler", "package:svc_consult",
    ];

    public static Arbitrary<PricingScenario> Scenario()
    {
        var services = CheckoutPricingTests.Menu.Values.OrderBy(s => s.Id, StringComparer.Ordinal).ToArray();
        var serviceItem =
            from service in Gen.Elements(services)
            from quantity in Gen.Choose(1, 4)
            select new BasketItem(service.Id, quantity);
        var packageItem =
            from service in Gen.Elements(services)
            from price in Gen.Choose(1, 300_000)
            from sessions in Gen.Choose(1, 10)
            select new BasketItem(Package: new PackageSale($"{service.Name} pack", new Money(price, "usd"), service.Id, sessions));
        var basket = Gen.Frequency((5, serviceItem), (1, packageItem))
            .ListOf()
            .Where(items => items.Count is > 0 and <= 50)
            .Select(items => new Basket(items.ToList()));

        var percent = Gen.Choose(0, 100).Select(p => (int?)p);
        var discounts = new[] { null, "filler", "facial", "neurotoxin" }
            .Select(category => percent.Select(p => new Benefit(BenefitKind.Discount, Category: category, Percent: p)));
        var benefits = Gen.OneOf(discounts)
            .ListOf()
            .Select(list => list.Prepend(new Benefit(BenefitKind.TreatmentUnits, ServiceId: "svc_botox", Units: 1)).ToList())
            .Select(list => (IReadOnlyList<Benefit>)list);
        var memberOrNot = Gen.Frequency((3, benefits), (1, Gen.Constant<IReadOnlyList<Benefit>>([])));

        var balance = Gen.Frequency((2, Gen.Constant(0)), (2, Gen.Choose(1, 3)), (1, Gen.Choose(0, 100_000)), (1, Gen.Choose(-5, -1)));
        var balances = Gen.ArrayOf(balance, Keys.Length)
            .Select(values => (IReadOnlyDictionary<string, long>)Keys.Zip(values).ToDictionary(kv => kv.First, kv => (long)kv.Second));

        return (from b in basket from m in memberOrNot from bal in balances select new PricingScenario(b, m, bal)).ToArbitrary();
    }
}
