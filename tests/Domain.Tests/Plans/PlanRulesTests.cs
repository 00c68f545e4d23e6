using MedSpa.Domain.Plans;
using MedSpa.Plans;
using MedSpa.Practice;
using static MedSpa.Domain.Tests.Plans.PlanExamples;

namespace MedSpa.Domain.Tests.Plans;

public sealed class PlanRulesTests
{
    private static readonly Dictionary<string, (PlanTerms Terms, string Code)> Broken = new()
    {
        ["empty name"] = (Premium with { Name = "" }, "invalid_name"),
        ["blank name"] = (Premium with { Name = "   " }, "invalid_name"),
        ["no name"] = (Premium with { Name = null! }, "invalid_name"),
        ["name of 101 characters"] = (Premium with { Name = new string('a', 101) }, "invalid_name"),
        ["description of 2001 characters"] = (Premium with { Description = new string('d', 2001) }, "invalid_description"),
        ["no price"] = (Premium with { MonthlyPrice = null! }, "invalid_currency"),
        ["upper-case currency"] = (Premium with { MonthlyPrice = new Money(19_900, "USD") }, "invalid_currency"),
        ["negative price"] = (Premium with { MonthlyPrice = Usd(-1) }, "invalid_amount"),
        ["price above the ceiling"] = (Premium with { MonthlyPrice = Usd(Prices.MaxAmount + 1) }, "invalid_amount"),
        ["free plan"] = (Premium with { MonthlyPrice = Usd(0) }, "invalid_price"),
        ["negative minimum term"] = (Premium with { MinimumTermMonths = -1 }, "invalid_minimum_term"),
        ["minimum term of 61 months"] = (Premium with { MinimumTermMonths = 61 }, "invalid_minimum_term"),
        ["undefined cancellation policy"] = (Premium with { Cancellation = (CancellationPolicy)7 }, "invalid_cancellation_policy"),

        ["21 benefits"] = (Premium with
        {
            Benefits = [.. Enumerable.Range(1, 21).Select(i => new Benefit(BenefitKind.TreatmentUnits, ServiceId: "svc_tox", Units: i))],
        }, "too_many_benefits"),
        ["null benefit"] = (WithBenefit(null!), "invalid_benefit"),
        ["undefined benefit kind"] = (WithBenefit(new Benefit((BenefitKind)9, Category: "facial", Units: 1)), "invalid_benefit"),
        ["units for an unknown service"] = (WithBenefit(new Benefit(BenefitKind.TreatmentUnits, ServiceId: "svc_nope", Units: 1)), "unknown_service"),
        ["units for an unknown category"] = (WithBenefit(new Benefit(BenefitKind.TreatmentUnits, Category: "massage", Units: 1)), "unknown_category"),
        ["units for a service and a category"] = (WithBenefit(new Benefit(BenefitKind.TreatmentUnits, ServiceId: "svc_tox", Category: "neurotoxin", Units: 1)), "invalid_benefit"),
        ["units for nothing"] = (WithBenefit(new Benefit(BenefitKind.TreatmentUnits, Units: 1)), "invalid_benefit"),
        ["no units"] = (WithBenefit(new Benefit(BenefitKind.TreatmentUnits, ServiceId: "svc_tox")), "invalid_units"),
        ["zero units"] = (WithBenefit(new Benefit(BenefitKind.TreatmentUnits, ServiceId: "svc_tox", Units: 0)), "invalid_units"),
        ["101 units"] = (WithBenefit(new Benefit(BenefitKind.TreatmentUnits, ServiceId: "svc_tox", Units: 101)), "invalid_units"),
        ["units with an amount"] = (WithBenefit(new Benefit(BenefitKind.TreatmentUnits, ServiceId: "svc_tox", Units: 1, Amount: Usd(100))), "invalid_benefit"),
        ["units with a percent"] = (WithBenefit(new Benefit(BenefitKind.TreatmentUnits, ServiceId: "svc_tox", Units: 1, Percent: 5)), "invalid_benefit"),
        ["unit rollover cap below the allocation"] = (WithBenefit(new Benefit(BenefitKind.TreatmentUnits, ServiceId: "svc_tox", Units: 2, Rollover: new Rollover(1))), "rollover_cap_below_allocation"),
        ["unit rollover cap above the ceiling"] = (WithBenefit(new Benefit(BenefitKind.TreatmentUnits, ServiceId: "svc_tox", Units: 2, Rollover: new Rollover(Prices.MaxAmount + 1))), "invalid_rollover"),

        ["dollar credit without a category"] = (WithBenefit(new Benefit(BenefitKind.DollarCredit, Amount: Usd(5_000))), "invalid_benefit"),
        ["dollar credit for a service"] = (WithBenefit(new Benefit(BenefitKind.DollarCredit, ServiceId: "svc_hydra", Category: "facial", Amount: Usd(5_000))), "invalid_benefit"),
        ["dollar credit for an unknown category"] = (WithBenefit(new Benefit(BenefitKind.DollarCredit, Category: "massage", Amount: Usd(5_000))), "unknown_category"),
        ["dollar credit without an amount"] = (WithBenefit(new Benefit(BenefitKind.DollarCredit, Category: "facial")), "invalid_benefit"),
        ["dollar credit of zero"] = (WithBenefit(new Benefit(BenefitKind.DollarCredit, Category: "facial", Amount: Usd(0))), "invalid_amount"),
        ["negative dollar credit"] = (WithBenefit(new Benefit(BenefitKind.DollarCredit, Category: "facial", Amount: Usd(-100))), "invalid_amount"),
        ["dollar credit in another currency"] = (WithBenefit(new Benefit(BenefitKind.DollarCredit, Category: "facial", Amount: new Money(5_000, "eur"))), "currency_mismatch"),
        ["dollar credit with units"] = (WithBenefit(new Benefit(BenefitKind.DollarCredit, Category: "facial", Units: 1, Amount: Usd(5_000))), "invalid_benefit"),
        ["dollar rollover cap below the allocation"] = (WithBenefit(new Benefit(BenefitKind.DollarCredit, Category: "facial", Amount: Usd(5_000), Rollover: new Rollover(4_999))), "rollover_cap_below_allocation"),

        ["discount of 0 percent"] = (WithBenefit(new Benefit(BenefitKind.Discount, Percent: 0)), "invalid_percent"),
        ["discount of 101 percent"] = (WithBenefit(new Benefit(BenefitKind.Discount, Percent: 101)), "invalid_percent"),
        ["discount without a percent"] = (WithBenefit(new Benefit(BenefitKind.Discount)), "invalid_percent"),
        ["discount on an unknown category"] = (WithBenefit(new Benefit(BenefitKind.Discount, Category: "massage", Percent: 10)), "unknown_category"),
        ["discount on one service"] = (WithBenefit(new Benefit(BenefitKind.Discount, ServiceId: "svc_serum", Percent: 10)), "invalid_benefit"),
        ["discount with units"] = (WithBenefit(new Benefit(BenefitKind.Discount, Units: 1, Percent: 10)), "invalid_benefit"),
        ["discount that rolls over"] = (WithBenefit(new Benefit(BenefitKind.Discount, Percent: 10, Rollover: new Rollover(10))), "invalid_rollover"),
        ["two benefits for one service"] = (Premium with
        {
            Benefits = [new Benefit(BenefitKind.TreatmentUnits, ServiceId: "svc_tox", Units: 1), new Benefit(BenefitKind.TreatmentUnits, ServiceId: "svc_tox", Units: 2)],
        }, "duplicate_benefit"),
        ["two discounts on all retail"] = (Premium with
        {
            Benefits = [new Benefit(BenefitKind.Discount, Percent: 10), new Benefit(BenefitKind.Discount, Category: " ", Percent: 15)],
        }, "duplicate_benefit"),
        ["two dollar credits for one category, differently spelt"] = (Premium with
        {
            Benefits = [new Benefit(BenefitKind.DollarCredit, Category: "facial", Amount: Usd(100)), new Benefit(BenefitKind.DollarCredit, Category: "Facial ", Amount: Usd(200))],
        }, "duplicate_benefit"),

        ["21 add-ons"] = (Premium with
        {
            AddOns = [.. Enumerable.Range(1, 21).Select(i => new AddOn($"Extra {i}", Usd(100), BenefitKind.TreatmentUnits, "svc_tox", Units: 1))],
        }, "too_many_add_ons"),
        ["add-on without a name"] = (WithAddOn(new AddOn(" ", Usd(30_000), BenefitKind.TreatmentUnits, "svc_tox", Units: 1)), "invalid_add_on"),
        ["add-on whose name has no letter"] = (WithAddOn(new AddOn("+++", Usd(30_000), BenefitKind.TreatmentUnits, "svc_tox", Units: 1)), "invalid_add_on"),
        ["add-on name of 101 characters"] = (WithAddOn(new AddOn(new string('x', 101), Usd(30_000), BenefitKind.TreatmentUnits, "svc_tox", Units: 1)), "invalid_add_on"),
        ["free add-on"] = (WithAddOn(new AddOn("Extra tox", Usd(0), BenefitKind.TreatmentUnits, "svc_tox", Units: 1)), "invalid_price"),
        ["add-on with a negative price"] = (WithAddOn(new AddOn("Extra tox", Usd(-1), BenefitKind.TreatmentUnits, "svc_tox", Units: 1)), "invalid_amount"),
        ["add-on priced in another currency"] = (WithAddOn(new AddOn("Extra tox", new Money(30_000, "eur"), BenefitKind.TreatmentUnits, "svc_tox", Units: 1)), "currency_mismatch"),
        ["discount add-on"] = (WithAddOn(new AddOn("Extra off", Usd(1_000), BenefitKind.Discount, Category: "retail")), "invalid_add_on"),
        ["add-on for an unknown service"] = (WithAddOn(new AddOn("Extra tox", Usd(30_000), BenefitKind.TreatmentUnits, "svc_nope", Units: 1)), "unknown_service"),
        ["add-on for an unknown category"] = (WithAddOn(new AddOn("Extra tox", Usd(30_000), BenefitKind.TreatmentUnits, Category: "massage", Units: 1)), "unknown_category"),
        ["add-on for a service and a category"] = (WithAddOn(new AddOn("Extra tox", Usd(30_000), BenefitKind.TreatmentUnits, "svc_tox", "neurotoxin", Units: 1)), "invalid_benefit"),
        ["add-on of zero units"] = (WithAddOn(new AddOn("Extra tox", Usd(30_000), BenefitKind.TreatmentUnits, "svc_tox", Units: 0)), "invalid_units"),
        ["dollar add-on of zero"] = (WithAddOn(new AddOn("Facial fund", Usd(5_000), BenefitKind.DollarCredit, Category: "facial", Amount: Usd(0))), "invalid_amount"),
        ["dollar add-on in another currency"] = (WithAddOn(new AddOn("Facial fund", Usd(5_000), BenefitKind.DollarCredit, Category: "facial", Amount: new Money(5_000, "cad"))), "currency_mismatch"),
        ["add-on valid for 0 days"] = (WithAddOn(new AddOn("Extra tox", Usd(30_000), BenefitKind.TreatmentUnits, "svc_tox", Units: 1, ValidForDays: 0)), "invalid_validity"),
        ["add-on valid for 731 days"] = (WithAddOn(new AddOn("Extra tox", Usd(30_000), BenefitKind.TreatmentUnits, "svc_tox", Units: 1, ValidForDays: 731)), "invalid_validity"),
        ["two add-ons with one name"] = (Premium with
        {
            AddOns =
            [
                new AddOn("Extra tox", Usd(30_000), BenefitKind.TreatmentUnits, "svc_tox", Units: 1),
                new AddOn("EXTRA  tox!", Usd(55_000), BenefitKind.TreatmentUnits, "svc_tox", Units: 2),
            ],
        }, "duplicate_add_on"),

        ["pause of 0 days"] = (Premium with { Pause = new PauseRules(MaxDays: 0) }, "invalid_pause_rules"),
        ["pause of 366 days"] = (Premium with { Pause = new PauseRules(MaxDays: 366) }, "invalid_pause_rules"),
        ["negative pauses a year"] = (Premium with { Pause = new PauseRules(TimesPer12Months: -1) }, "invalid_pause_rules"),
        ["13 pauses a year"] = (Premium with { Pause = new PauseRules(TimesPer12Months: 13) }, "invalid_pause_rules"),

        ["reactivation discount of 101 percent"] = (Premium with { ReactivationOffer = new ReactivationOffer(101) }, "invalid_reactivation_offer"),
        ["negative reactivation discount"] = (Premium with { ReactivationOffer = new ReactivationOffer(-1) }, "invalid_reactivation_offer"),
        ["negative bonus"] = (Premium with { ReactivationOffer = new ReactivationOffer(0, "units:svc_tox", -1) }, "invalid_reactivation_offer"),
        ["bonus of a benefit the plan lacks"] = (Premium with { ReactivationOffer = new ReactivationOffer(0, "units:svc_filler", 1) }, "invalid_reactivation_offer"),
        ["bonus of a discount"] = (Premium with { ReactivationOffer = new ReactivationOffer(0, "discount:all", 5) }, "invalid_reactivation_offer"),
        ["bonus quantity of nothing"] = (Premium with { ReactivationOffer = new ReactivationOffer(0, null, 2) }, "invalid_reactivation_offer"),
        ["bonus of a benefit but no quantity"] = (Premium with { ReactivationOffer = new ReactivationOffer(0, "units:svc_tox", 0) }, "invalid_reactivation_offer"),
        ["offer sent the day it lapses"] = (Premium with { ReactivationOffer = new ReactivationOffer(50, SendAfterDays: 0) }, "invalid_reactivation_send_after_days"),
        ["offer sent after the 90-day window"] = (Premium with { ReactivationOffer = new ReactivationOffer(50, SendAfterDays: 90) }, "invalid_reactivation_send_after_days"),
        ["offer sent before it lapses"] = (Premium with { ReactivationOffer = new ReactivationOffer(50, SendAfterDays: -3) }, "invalid_reactivation_send_after_days"),

        ["unknown location"] = (Premium with { LocationIds = ["loc_downtown", "loc_nowhere"] }, "unknown_location"),
    };

    public static TheoryData<string> BrokenCases => new(Broken.Keys);

    [Theory]
    [MemberData(nameof(BrokenCases))]
    public void Terms_that_break_a_rule_are_refused_with_its_code(string example)
    {
        var (terms, code) = Broken[example];

        var refusal = Assert.Throws<CommandRejectedException>(() => PlanRules.Normalise(terms, Catalogue));

        Assert.Equal((code, RejectionKind.Invalid), (refusal.Code, refusal.Kind));
    }

    [Fact]
    public void Valid_terms_come_back_trimmed_with_keys_and_defaults()
    {
        var terms = PlanRules.Normalise(Premium with { Name = "  Premium ", Description = "  Monthly glow \n" }, Catalogue);

        Assert.Equal("Premium", terms.Name);
        Assert.Equal("Monthly glow", terms.Description);
        Assert.Equal(Usd(19_900), terms.MonthlyPrice);
        Assert.Equal(12, terms.MinimumTermMonths);
        Assert.Equal(["units:svc_tox", "dollars:facial", "discount:all"], terms.Benefits.Select(b => b.Key));
        Assert.Empty(terms.AddOns!);
        Assert.Equal(new PauseRules(60, 1), terms.Pause);
        Assert.Equal(CancellationPolicy.ContinueToTermEnd, terms.Cancellation);
        Assert.Null(terms.ReactivationOffer);
        Assert.Empty(terms.LocationIds!);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void A_blank_description_is_no_description(string? description) =>
        Assert.Null(PlanRules.Normalise(Premium with { Description = description }, Catalogue).Description);

    [Fact]
    public void A_description_of_2000_characters_and_a_name_of_100_are_accepted()
    {
        var terms = PlanRules.Normalise(Premium with { Name = new string('n', 100), Description = new string('d', 2000) }, Catalogue);

        Assert.Equal((100, 2000), (terms.Name.Length, terms.Description!.Length));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(60)]
    public void A_minimum_term_from_none_to_five_years_is_accepted(int months) =>
        Assert.Equal(months, PlanRules.Normalise(Premium with { MinimumTermMonths = months }, Catalogue).MinimumTermMonths);

    [Fact]
    public void The_plan_sets_benefit_keys_whatever_the_request_says()
    {
        var terms = PlanRules.Normalise(Premium with
        {
            Benefits =
            [
                new Benefit(BenefitKind.TreatmentUnits, Category: " Neurotoxin ", Units: 2, Key: "units:everything"),
                new Benefit(BenefitKind.DollarCredit, Category: "facial", Amount: Usd(5_000), Key: "free-money"),
                new Benefit(BenefitKind.Discount, Category: "retail", Percent: 15),
                new Benefit(BenefitKind.TreatmentUnits, ServiceId: "svc_filler", Units: 1),
            ],
        }, Catalogue);

        Assert.Equal(["units:neurotoxin", "dollars:facial", "discount:retail", "units:svc_filler"], terms.Benefits.Select(b => b.Key));
        Assert.Equal("neurotoxin", terms.Benefits[0].Category);
    }

    [Fact]
    public void Blank_targets_are_left_out_so_a_unit_benefit_may_name_its_service_only()
    {
        var benefit = PlanRules.Normalise(WithBenefit(new Benefit(BenefitKind.TreatmentUnits, ServiceId: "svc_tox", Category: "", Units: 1)), Catalogue).Benefits[0];

        Assert.Equal(new Benefit(BenefitKind.TreatmentUnits, "svc_tox", null, 1, Key: "units:svc_tox"), benefit);
    }

    [Theory]
    [InlineData(BenefitKind.TreatmentUnits, 2, 2L)]
    [InlineData(BenefitKind.DollarCredit, 5_000, 5_000L)]
    [InlineData(BenefitKind.DollarCredit, 5_000, 20_000L)]
    public void A_rollover_cap_may_equal_one_allocation_or_more(BenefitKind kind, int allocation, long cap)
    {
        var benefit = kind == BenefitKind.TreatmentUnits
            ? new Benefit(kind, ServiceId: "svc_tox", Units: allocation, Rollover: new Rollover(cap))
            : new Benefit(kind, Category: "facial", Amount: Usd(allocation), Rollover: new Rollover(cap));

        Assert.Equal(new Rollover(cap), PlanRules.Normalise(WithBenefit(benefit), Catalogue).Benefits[0].Rollover);
    }

    [Fact]
    public void A_plan_without_benefits_is_allowed()
    {
        Assert.Empty(PlanRules.Normalise(Premium with { Benefits = [] }, Catalogue).Benefits);
        Assert.Empty(PlanRules.Normalise(Premium with { Benefits = null! }, Catalogue).Benefits);
    }

    [Fact]
    public void Twenty_benefits_and_twenty_add_ons_are_allowed()
    {
        var menu = Catalogue with
        {
            Services = [.. Enumerable.Range(1, 20).Select(i => new Service($"svc_{i}", $"Treatment {i}", "facial", Usd(10_000), 30))],
        };

        var terms = PlanRules.Normalise(Premium with
        {
            Benefits = [.. menu.Services.Select(s => new Benefit(BenefitKind.TreatmentUnits, ServiceId: s.Id, Units: 1))],
            AddOns = [.. menu.Services.Select(s => new AddOn($"Extra {s.Name}", Usd(5_000), BenefitKind.TreatmentUnits, s.Id, Units: 1))],
        }, menu);

        Assert.Equal((20, 20), (terms.Benefits.Count, terms.AddOns!.Count));
    }

    [Fact]
    public void Add_ons_are_keyed_by_the_slug_of_their_name()
    {
        var terms = PlanRules.Normalise(Premium with
        {
            AddOns =
            [
                new AddOn("  Extra Neurotoxin ", Usd(25_000), BenefitKind.TreatmentUnits, "svc_tox", Units: 1, Key: "ignored"),
                new AddOn("Facial fund: $100", Usd(9_000), BenefitKind.DollarCredit, Category: "Facial", Amount: Usd(10_000), ValidForDays: 90),
            ],
        }, Catalogue);

        Assert.Equal(
            [
                new AddOn("Extra Neurotoxin", Usd(25_000), BenefitKind.TreatmentUnits, "svc_tox", null, 1, null, 365, "extra-neurotoxin"),
                new AddOn("Facial fund: $100", Usd(9_000), BenefitKind.DollarCredit, null, "facial", null, Usd(10_000), 90, "facial-fund-100"),
            ],
            terms.AddOns!);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(365, 12)]
    [InlineData(30, 2)]
    public void Pause_rules_within_the_limits_are_kept(int maxDays, int times) =>
        Assert.Equal(new PauseRules(maxDays, times), PlanRules.Normalise(Premium with { Pause = new PauseRules(maxDays, times) }, Catalogue).Pause);

    [Fact]
    public void A_reactivation_offer_may_give_a_discount_a_bonus_of_a_plan_benefit_or_both()
    {
        Assert.Equal(new ReactivationOffer(50), Offer(new ReactivationOffer(50)));
        Assert.Equal(new ReactivationOffer(0, "units:svc_tox", 2), Offer(new ReactivationOffer(0, " units:svc_tox ", 2)));
        Assert.Equal(new ReactivationOffer(100, "dollars:facial", 2_500), Offer(new ReactivationOffer(100, "dollars:facial", 2_500)));
        Assert.Null(Offer(new ReactivationOffer()));
        Assert.Equal(new ReactivationOffer(50, SendAfterDays: 1), Offer(new ReactivationOffer(50, SendAfterDays: 1)));
        Assert.Equal(new ReactivationOffer(50, SendAfterDays: 89), Offer(new ReactivationOffer(50, SendAfterDays: 89)));

        static ReactivationOffer? Offer(ReactivationOffer offer) =>
            PlanRules.Normalise(Premium with { ReactivationOffer = offer }, Catalogue).ReactivationOffer;
    }

    [Fact]
    public void Locations_are_listed_once_each_in_the_practice_order()
    {
        var terms = PlanRules.Normalise(Premium with { LocationIds = ["loc_bayside", "loc_downtown", "loc_bayside"] }, Catalogue);

        Assert.Equal(["loc_downtown", "loc_bayside"], terms.LocationIds!);
    }

    [Fact]
    public void The_buy_out_policy_is_kept() =>
        Assert.Equal(CancellationPolicy.BuyOut, PlanRules.Normalise(Premium with { Cancellation = CancellationPolicy.BuyOut }, Catalogue).Cancellation);

    [Theory]
    [InlineData("Premium", "plan_premium")]
    [InlineData("VIP Plus", "plan_vip-plus")]
    [InlineData("  VIP -- Plus! ", "plan_vip-plus")]
    [InlineData("Glow & Go 2.0", "plan_glow-go-2-0")]
    [InlineData("Lumière Élite", "plan_lumiere-elite")]
    [InlineData("-Essential-", "plan_essential")]
    public void A_plan_id_is_the_slug_of_its_name(string name, string id) =>
        Assert.Equal(id, PlanRules.IdFor(name));

    [Theory]
    [InlineData("!!!")]
    [InlineData("  ")]
    [InlineData("美容")]
    public void A_name_that_gives_no_id_is_refused(string name) =>
        Assert.Equal("invalid_name", Assert.Throws<CommandRejectedException>(() => PlanRules.IdFor(name)).Code);

    [Fact]
    public void Equal_terms_are_the_same_even_in_different_list_instances()
    {
        var once = PlanRules.Normalise(Premium, Catalogue);
        var again = PlanRules.Normalise(Premium with { Name = " Premium" }, Catalogue);

        Assert.NotSame(once.Benefits, again.Benefits);
        Assert.True(PlanRules.Same(once, again));
        Assert.False(PlanRules.Same(once, again with { Benefits = [.. again.Benefits.Take(2)] }));
        Assert.False(PlanRules.Same(once, again with { LocationIds = ["loc_downtown"] }));
    }
}
