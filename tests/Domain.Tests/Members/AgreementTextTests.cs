using System.Globalization;
using MedSpa.Domain.Members;
using MedSpa.Plans;
using MedSpa.Practice;

namespace MedSpa.Domain.Tests.Members;

public sealed class AgreementTextTests
{
    private static readonly Service Botox = new("svc_botox", "Botox", "neurotoxin", new Money(45_000, "usd"), 30);
    private static readonly Service HydraFacial = new("svc_hydrafacial", "HydraFacial", "facial", new Money(19_900, "usd"), 60);
    private static readonly Location Downtown = new("loc_downtown", "Downtown", "America/New_York", "1 Main St");

    private static readonly PlanTerms Premium = new(
        "Glow Premium",
        "Monthly neurotoxin and facial care.",
        new Money(19_900, "usd"),
        MinimumTermMonths: 12,
        Benefits:
        [
            new(BenefitKind.TreatmentUnits, ServiceId: Botox.Id, Units: 1, Rollover: new Rollover(3)),
            new(BenefitKind.DollarCredit, Category: "facial", Amount: new Money(5_000, "usd")),
            new(BenefitKind.Discount, Category: "filler", Percent: 10),
            new(BenefitKind.Discount, Percent: 5),
        ],
        AddOns: [new AddOn("Extra Botox", new Money(30_000, "usd"), BenefitKind.TreatmentUnits, ServiceId: Botox.Id, Units: 1, ValidForDays: 180)]);

    private static AgreementTerms Terms(PlanTerms? plan = null, string member = "Jane Doe") => new(
        member,
        "plan_premium",
        3,
        plan ?? Premium,
        new[] { Botox, HydraFacial }.ToDictionary(s => s.Id),
        Downtown,
        new DateOnly(2027, 1, 31),
        31,
        new DateOnly(2028, 1, 31));

    [Theory]
    [InlineData("Member: Jane Doe")]
    [InlineData("Plan: Glow Premium (plan_premium, version 3)")]
    [InlineData("Monthly neurotoxin and facial care.")]
    [InlineData("Home location: Downtown (time zone America/New_York)")]
    [InlineData("Enrolment date: 31 January 2027")]
    [InlineData("$199.00 USD per month")]
    [InlineData("charged on the 31st day of each month, or on the month's last day when the month is shorter")]
    [InlineData("1 × Botox (per month). Unused Botox treatments roll over up to 3 in total.")]
    [InlineData("$50.00 USD of facial credit per month. Unused credit expires at the end of each billing period.")]
    [InlineData("10% off filler.")]
    [InlineData("5% off all retail.")]
    [InlineData("Extra Botox: 1 × Botox for $300.00 USD, usable for 180 days from purchase.")]
    [InlineData("The minimum term is 12 months; it ends on 31 January 2028.")]
    [InlineData("billing continues until the term end")]
    [InlineData("After the term, cancellation takes effect at the end of the current billing period.")]
    [InlineData("You will be asked for a reason when you cancel.")]
    [InlineData("pause the membership for up to 60 days at a time, once in any 12 months")]
    [InlineData("billing stops and your credits are frozen; their expiry dates are pushed back by the length of the pause")]
    [InlineData("honoured at all locations of the practice")]
    [InlineData("By typing your full name and ticking the box to accept, you sign this agreement electronically")]
    public void The_agreement_states_each_term(string statement) =>
        Assert.Contains(statement, AgreementText.Render(Terms()), StringComparison.Ordinal);

    [Fact]
    public void A_buy_out_plan_offers_paying_the_remaining_obligation_at_once()
    {
        const string BuyOut = "you may instead pay the remaining obligation at once";

        Assert.Contains(BuyOut, AgreementText.Render(Terms(Premium with { Cancellation = CancellationPolicy.BuyOut })), StringComparison.Ordinal);
        Assert.DoesNotContain(BuyOut, AgreementText.Render(Terms()), StringComparison.Ordinal);
    }

    [Fact]
    public void Category_benefits_name_the_category_and_their_rollover_cap_in_money()
    {
        var plan = Premium with
        {
            Benefits =
            [
                new(BenefitKind.TreatmentUnits, Category: "neurotoxin", Units: 2),
                new(BenefitKind.DollarCredit, Category: "facial", Amount: new Money(5_000, "usd"), Rollover: new Rollover(15_000)),
            ],
        };

        var text = AgreementText.Render(Terms(plan));

        Assert.Contains("2 × any neurotoxin treatment (per month). Unused treatments expire at the end of each billing period.", text, StringComparison.Ordinal);
        Assert.Contains("Unused facial credit rolls over up to $150.00 USD in total.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plan_without_pause_says_so()
    {
        var text = AgreementText.Render(Terms(Premium with { Pause = new PauseRules(0, 0) }));

        Assert.Contains("Pausing is not available on this plan.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("up to 60 days", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Configured_pause_rules_are_stated()
    {
        var text = AgreementText.Render(Terms(Premium with { Pause = new PauseRules(30, 2) }));

        Assert.Contains("up to 30 days at a time, twice in any 12 months", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plan_limited_to_some_locations_lists_them()
    {
        var text = AgreementText.Render(Terms(Premium with { LocationIds = ["loc_downtown", "loc_bayside"] }));

        Assert.Contains("honoured at these locations: loc_downtown, loc_bayside.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plan_without_minimum_term_runs_month_to_month()
    {
        var text = AgreementText.Render(Terms(Premium with { MinimumTermMonths = 0 }));

        Assert.Contains("There is no minimum term", text, StringComparison.Ordinal);
        Assert.DoesNotContain("billing continues until the term end", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("usd", 123_456_78, "$123,456.78 USD")]
    [InlineData("cad", 19_900, "$199.00 CAD")]
    [InlineData("aud", 5, "$0.05 AUD")]
    [InlineData("eur", 19_900, "€199.00 EUR")]
    [InlineData("gbp", 19_900, "£199.00 GBP")]
    [InlineData("chf", 19_900, "199.00 CHF")]
    public void Money_is_written_with_its_symbol_and_currency_code(string currency, long amount, string expected)
    {
        var text = AgreementText.Render(Terms(Premium with { MonthlyPrice = new Money(amount, currency) }));

        Assert.Contains($"The membership costs {expected} per month.", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, "1st")]
    [InlineData(2, "2nd")]
    [InlineData(3, "3rd")]
    [InlineData(11, "11th")]
    [InlineData(12, "12th")]
    [InlineData(13, "13th")]
    [InlineData(22, "22nd")]
    [InlineData(28, "28th")]
    public void The_billing_day_is_an_ordinal(int anchorDay, string ordinal)
    {
        var text = AgreementText.Render(Terms() with { AnchorDay = anchorDay });

        Assert.Contains($"on the {ordinal} day of each month", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_terms_render_the_same_bytes_whatever_the_culture()
    {
        var first = AgreementText.Render(Terms());
        var original = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.Equal(first, AgreementText.Render(Terms()));
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("ar-SA");
            Assert.Equal(first, AgreementText.Render(Terms()));
        }
        finally
        {
            CultureInfo.CurrentCulture = original;
        }

        Assert.Equal(AgreementText.Sha256(first), AgreementText.Sha256(AgreementText.Render(Terms())));
    }

    [Fact]
    public void Lines_end_with_a_bare_newline_even_when_a_name_holds_line_breaks()
    {
        var text = AgreementText.Render(Terms(Premium with { Name = "Glow\r\nPremium" }, member: "Jane\rDoe\u2028"));

        Assert.DoesNotContain('\r', text);
        Assert.DoesNotContain('\u2028', text);
        Assert.Contains("Member: Jane Doe\n", text, StringComparison.Ordinal);
        Assert.Contains("Plan: Glow  Premium (", text, StringComparison.Ordinal);
        Assert.EndsWith(".\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_different_price_gives_a_different_hash()
    {
        var cheaper = AgreementText.Render(Terms(Premium with { MonthlyPrice = new Money(19_800, "usd") }));

        Assert.NotEqual(AgreementText.Sha256(AgreementText.Render(Terms())), AgreementText.Sha256(cheaper));
    }

    [Theory]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("Zoë signs\n", "fcda4d3a868161ccfa774aed28accc088eb42e63765efd21ba4162b1b7cc8998")]
    public void The_hash_is_the_lower_case_SHA256_of_the_exact_UTF8_bytes(string text, string sha256) =>
        Assert.Equal(sha256, AgreementText.Sha256(text));
}
