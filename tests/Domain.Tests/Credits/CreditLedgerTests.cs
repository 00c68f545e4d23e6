using MedSpa.Domain.Credits;
using MedSpa.Members;
using MedSpa.Plans;

namespace MedSpa.Domain.Tests.Credits;

public sealed class CreditLedgerTests
{
    private const string Neurotoxin = "units:neurotoxin";
    private const string Facial = "dollars:facial";

    // A billing period [15 Jan, 15 Feb) charged at 09:00, and the ones after it.
    private static readonly DateTimeOffset Jan15 = new(2027, 1, 15, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Feb15 = new(2027, 2, 15, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Mar15 = new(2027, 3, 15, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Apr15 = new(2027, 4, 15, 9, 0, 0, TimeSpan.Zero);

    private static readonly Benefit TwoNeurotoxin = new(BenefitKind.TreatmentUnits, Category: "neurotoxin", Units: 2);
    private static readonly Benefit FiftyDollarsOfFacials = new(BenefitKind.DollarCredit, Category: "facial", Amount: new Money(5_000, "usd"));
    private static readonly Benefit TenPercentOff = new(BenefitKind.Discount, Percent: 10);

    private static CreditLedger Allocated(params Benefit[] benefits) =>
        CreditLedger.Empty.With(CreditLedger.Empty.Allocate(benefits, Feb15, "pay_jan", Jan15));

    private static RedemptionRequest Redemption(string id, long quantity, string key = Neurotoxin) => new(id, key, quantity, "svc_botox");

    private static CommandRejectedException Refused(Action decision) => Assert.Throws<CommandRejectedException>(decision);

    [Fact]
    public void A_paid_period_grants_one_lot_per_unit_or_dollar_benefit_expiring_at_period_end()
    {
        var events = CreditLedger.Empty.Allocate([TwoNeurotoxin, TenPercentOff, FiftyDollarsOfFacials], Feb15, "pay_jan", Jan15);

        Assert.Equal(
            [
                new CreditsAllocated("lot_1", Neurotoxin, BenefitKind.TreatmentUnits, LotSource.Allocation, 2, Feb15, "pay_jan") { OccurredAt = Jan15 },
                new CreditsAllocated("lot_2", Facial, BenefitKind.DollarCredit, LotSource.Allocation, 5_000, Feb15, "pay_jan") { OccurredAt = Jan15 },
            ],
            events);
    }

    [Fact]
    public void A_benefit_with_its_own_key_feeds_that_key()
    {
        var events = CreditLedger.Empty.Allocate([TwoNeurotoxin with { Key = "units:svc_botox" }], Feb15, "pay_jan", Jan15);

        Assert.Equal("units:svc_botox", Assert.IsType<CreditsAllocated>(Assert.Single(events)).BenefitKey);
    }

    [Fact]
    public void Lot_ids_carry_on_from_the_lots_already_issued()
    {
        var ledger = Allocated(TwoNeurotoxin, FiftyDollarsOfFacials);
        ledger = ledger.With(ledger.Grant("units:filler", BenefitKind.TreatmentUnits, LotSource.Bonus, 1, null, null, Jan15));
        Assert.Equal(3, ledger.LotsIssued);

        var events = ledger.Allocate([TwoNeurotoxin, FiftyDollarsOfFacials, TwoNeurotoxin with { Key = "units:filler" }], Mar15, "pay_feb", Feb15);

        Assert.Equal(["lot_4", "lot_5", "lot_6"], events.Cast<CreditsAllocated>().Select(e => e.LotId));
        Assert.Equal(6, ledger.With(events).LotsIssued);
    }

    [Fact]
    public void Redemption_takes_the_soonest_expiring_lot_first()
    {
        var ledger = CreditLedger.Empty
            .With(CreditLedger.Empty.Grant(Neurotoxin, BenefitKind.TreatmentUnits, LotSource.AddOn, 2, Jan15.AddDays(365), "addon_1", Jan15));
        ledger = ledger.With(ledger.Grant(Neurotoxin, BenefitKind.TreatmentUnits, LotSource.Bonus, 2, null, "welcome", Jan15));
        ledger = ledger.With(ledger.Allocate([TwoNeurotoxin], Feb15, "pay_jan", Jan15));

        var redeemed = Assert.IsType<CreditsRedeemed>(Assert.Single(ledger.Redeem(Redemption("red_1", 5), "chk_1", Jan15.AddDays(3))));

        // The period's lot (15 Feb) before the add-on (a year), and the lot that never expires last.
        Assert.Equal([new LotDraw("lot_3", 2), new LotDraw("lot_1", 2), new LotDraw("lot_2", 1)], redeemed.Draws);
        Assert.Equal(("red_1", Neurotoxin, 5L, "svc_botox", "chk_1", Jan15.AddDays(3)), (redeemed.RedemptionId, redeemed.BenefitKey, redeemed.Quantity, redeemed.ServiceId, redeemed.CheckoutId, redeemed.OccurredAt));
        Assert.Equal(1, ledger.With([redeemed]).Available(Neurotoxin, Jan15.AddDays(3)));
    }

    [Fact]
    public void Lots_expiring_together_are_drawn_oldest_first()
    {
        var ledger = Allocated(TwoNeurotoxin);
        ledger = ledger.With(ledger.Grant(Neurotoxin, BenefitKind.TreatmentUnits, LotSource.AddOn, 2, Feb15, "addon_1", Jan15.AddDays(1)));

        var redeemed = Assert.IsType<CreditsRedeemed>(Assert.Single(ledger.Redeem(Redemption("red_1", 3), null, Jan15.AddDays(2))));

        Assert.Equal([new LotDraw("lot_1", 2), new LotDraw("lot_2", 1)], redeemed.Draws);
    }

    [Fact]
    public void Replaying_a_redemption_changes_nothing()
    {
        var ledger = Allocated(TwoNeurotoxin);
        ledger = ledger.With(ledger.Redeem(Redemption("red_1", 1), "chk_1", Jan15.AddDays(1)));

        Assert.Empty(ledger.Redeem(Redemption("red_1", 1), "chk_1", Jan15.AddDays(2)));
        Assert.Equal(1, ledger.Available(Neurotoxin, Jan15.AddDays(2)));
    }

    [Fact]
    public void A_redemption_id_cannot_be_reused_for_another_quantity_or_balance()
    {
        var ledger = Allocated(TwoNeurotoxin, FiftyDollarsOfFacials);
        ledger = ledger.With(ledger.Redeem(Redemption("red_1", 1), null, Jan15.AddDays(1)));

        var otherQuantity = Refused(() => ledger.Redeem(Redemption("red_1", 2), null, Jan15.AddDays(2)));
        var otherKey = Refused(() => ledger.Redeem(Redemption("red_1", 1, Facial), null, Jan15.AddDays(2)));

        Assert.Equal(("redemption_id_reused", RejectionKind.Conflict), (otherQuantity.Code, otherQuantity.Kind));
        Assert.Equal("redemption_id_reused", otherKey.Code);
    }

    [Fact]
    public void Redeeming_more_than_is_left_is_refused()
    {
        var ledger = Allocated(TwoNeurotoxin);

        var tooMuch = Refused(() => ledger.Redeem(Redemption("red_1", 3), null, Jan15.AddDays(1)));
        var nothingThere = Refused(() => ledger.Redeem(Redemption("red_2", 1, "units:filler"), null, Jan15.AddDays(1)));
        var lapsed = Refused(() => ledger.Redeem(Redemption("red_3", 1), null, Feb15));

        Assert.Equal(("insufficient_credits", RejectionKind.Conflict), (tooMuch.Code, tooMuch.Kind));
        Assert.Equal("insufficient_credits", nothingThere.Code);
        Assert.Equal("insufficient_credits", lapsed.Code);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_redemption_takes_at_least_one(long quantity)
    {
        var refusal = Refused(() => Allocated(TwoNeurotoxin).Redeem(Redemption("red_1", quantity), null, Jan15));

        Assert.Equal(("invalid_quantity", RejectionKind.Invalid), (refusal.Code, refusal.Kind));
    }

    [Fact]
    public void A_void_puts_the_credit_back_into_the_very_lots_it_came_from()
    {
        var ledger = Allocated(TwoNeurotoxin);
        ledger = ledger.With(ledger.Grant(Neurotoxin, BenefitKind.TreatmentUnits, LotSource.AddOn, 5, Apr15, "addon_1", Jan15));
        ledger = ledger.With(ledger.Redeem(Redemption("red_1", 3), null, Jan15.AddDays(1)));
        ledger = ledger.With(ledger.Redeem(Redemption("red_2", 2), null, Jan15.AddDays(2)));

        var events = ledger.Void("red_1", "wrong client", Jan15.AddDays(3));
        var voided = ledger.With(events);

        Assert.Equal([new RedemptionVoided("red_1", "wrong client") { OccurredAt = Jan15.AddDays(3) }], events);
        Assert.Equal([2L, 3L], voided.Lots.Select(l => l.Remaining));
        Assert.Equal(Jan15.AddDays(3), voided.Redemptions["red_1"].VoidedAt);
        var balance = Assert.Single(voided.Balances(Jan15.AddDays(3), "usd"));
        Assert.Equal((7L, 2L, 5L), (balance.Allocated, balance.Redeemed, balance.Balance));
    }

    [Fact]
    public void Voiding_twice_changes_nothing()
    {
        var ledger = Allocated(TwoNeurotoxin);
        ledger = ledger.With(ledger.Redeem(Redemption("red_1", 1), null, Jan15.AddDays(1)));
        ledger = ledger.With(ledger.Void("red_1", "booked in error", Jan15.AddDays(2)));

        Assert.Empty(ledger.Void("red_1", "booked in error", Jan15.AddDays(3)));
    }

    [Fact]
    public void A_void_needs_a_known_redemption_and_a_reason()
    {
        var ledger = Allocated(TwoNeurotoxin);
        ledger = ledger.With(ledger.Redeem(Redemption("red_1", 1), null, Jan15.AddDays(1)));

        var unknown = Refused(() => ledger.Void("red_404", "typo", Jan15.AddDays(2)));
        var noReason = Refused(() => ledger.Void("red_1", "  ", Jan15.AddDays(2)));

        Assert.Equal(("redemption_not_found", RejectionKind.NotFound), (unknown.Code, unknown.Kind));
        Assert.Equal(("reason_required", RejectionKind.Invalid), (noReason.Code, noReason.Kind));
    }

    [Fact]
    public void Credit_voided_back_into_a_lapsed_lot_is_expired_not_usable()
    {
        var ledger = Allocated(TwoNeurotoxin);
        ledger = ledger.With(ledger.Redeem(Redemption("red_1", 2), null, Jan15.AddDays(1)));
        ledger = ledger.With(ledger.ExpireDue(Feb15));
        ledger = ledger.With(ledger.Void("red_1", "treatment not given", Feb15.AddDays(1)));

        var before = Assert.Single(ledger.Balances(Feb15.AddDays(1), null));
        Assert.Equal((2L, 0L, 2L, 0L), (before.Allocated, before.Redeemed, before.Expired, before.Balance));

        var expiry = Assert.IsType<CreditsExpired>(Assert.Single(ledger.ExpireDue(Feb15.AddDays(1))));
        Assert.Equal(("lot_1", 2L, ExpiryReason.Lapsed), (expiry.LotId, expiry.Quantity, expiry.Reason));
        Assert.Equal(before, Assert.Single(ledger.With([expiry]).Balances(Feb15.AddDays(1), null)), BalanceComparer.Instance);
    }

    [Fact]
    public void An_upward_adjustment_is_a_new_lot_with_the_reason_staff_gave()
    {
        var ledger = Allocated(TwoNeurotoxin);

        var events = ledger.Adjust(new CreditAdjustmentRequest("adj_1", Neurotoxin, 1, " goodwill: late start "), BenefitKind.TreatmentUnits, Mar15, Jan15.AddDays(1));
        ledger = ledger.With(events);

        var adjusted = Assert.IsType<CreditsAdjusted>(Assert.Single(events));
        Assert.Empty(adjusted.Draws);
        Assert.Equal(
            new CreditsAdjusted("adj_1", Neurotoxin, BenefitKind.TreatmentUnits, 1, "goodwill: late start", "lot_2", Mar15, adjusted.Draws) { OccurredAt = Jan15.AddDays(1) },
            adjusted);
        Assert.Equal(new Lot("lot_2", Neurotoxin, BenefitKind.TreatmentUnits, LotSource.Adjustment, 1, 1, Jan15.AddDays(1), Mar15), ledger.Lots[1]);
        var balance = Assert.Single(ledger.Balances(Jan15.AddDays(1), null));
        Assert.Equal((2L, 1L, 3L), (balance.Allocated, balance.Adjusted, balance.Balance));
    }

    [Fact]
    public void A_downward_adjustment_draws_like_a_redemption()
    {
        var ledger = Allocated(TwoNeurotoxin);
        ledger = ledger.With(ledger.Grant(Neurotoxin, BenefitKind.TreatmentUnits, LotSource.AddOn, 3, Apr15, "addon_1", Jan15));

        var adjusted = Assert.IsType<CreditsAdjusted>(Assert.Single(ledger.Adjust(new CreditAdjustmentRequest("adj_1", Neurotoxin, -3, "double entry"), BenefitKind.TreatmentUnits, null, Jan15.AddDays(1))));
        ledger = ledger.With([adjusted]);

        Assert.Null(adjusted.LotId);
        Assert.Equal([new LotDraw("lot_1", 2), new LotDraw("lot_2", 1)], adjusted.Draws);
        var balance = Assert.Single(ledger.Balances(Jan15.AddDays(1), null));
        Assert.Equal((5L, -3L, 0L, 2L), (balance.Allocated, balance.Adjusted, balance.Redeemed, balance.Balance));
    }

    [Fact]
    public void A_downward_adjustment_beyond_the_balance_is_refused()
    {
        var refusal = Refused(() => Allocated(TwoNeurotoxin).Adjust(new CreditAdjustmentRequest("adj_1", Neurotoxin, -3, "audit"), BenefitKind.TreatmentUnits, null, Jan15.AddDays(1)));

        Assert.Equal(("insufficient_credits", RejectionKind.Conflict), (refusal.Code, refusal.Kind));
    }

    [Fact]
    public void An_adjustment_needs_a_reason_and_a_change()
    {
        var ledger = Allocated(TwoNeurotoxin);

        var noReason = Refused(() => ledger.Adjust(new CreditAdjustmentRequest("adj_1", Neurotoxin, 1, ""), BenefitKind.TreatmentUnits, null, Jan15));
        var noChange = Refused(() => ledger.Adjust(new CreditAdjustmentRequest("adj_1", Neurotoxin, 0, "nothing"), BenefitKind.TreatmentUnits, null, Jan15));

        Assert.Equal(("reason_required", RejectionKind.Invalid), (noReason.Code, noReason.Kind));
        Assert.Equal(("invalid_quantity", RejectionKind.Invalid), (noChange.Code, noChange.Kind));
    }

    [Fact]
    public void An_adjustment_is_idempotent_by_its_id()
    {
        var ledger = Allocated(TwoNeurotoxin);
        var request = new CreditAdjustmentRequest("adj_1", Neurotoxin, -1, "duplicate booking");
        ledger = ledger.With(ledger.Adjust(request, BenefitKind.TreatmentUnits, null, Jan15.AddDays(1)));

        Assert.Empty(ledger.Adjust(request, BenefitKind.TreatmentUnits, null, Jan15.AddDays(2)));
        var reused = Refused(() => ledger.Adjust(request with { Quantity = 1 }, BenefitKind.TreatmentUnits, null, Jan15.AddDays(2)));
        Assert.Equal(("adjustment_id_reused", RejectionKind.Conflict), (reused.Code, reused.Kind));
        Assert.Equal(1, ledger.Available(Neurotoxin, Jan15.AddDays(2)));
    }

    [Fact]
    public void An_add_on_or_a_package_is_a_lot_with_its_own_expiry()
    {
        var ledger = Allocated(TwoNeurotoxin);
        var addOnExpiry = Jan15.AddDays(90);
        var packageExpiry = Jan15.AddDays(365);

        ledger = ledger.With(ledger.Grant(Neurotoxin, BenefitKind.TreatmentUnits, LotSource.AddOn, 4, addOnExpiry, "addon_1", Jan15.AddHours(1)));
        var package = ledger.Grant("package:svc_hydrafacial", BenefitKind.TreatmentUnits, LotSource.Package, 6, packageExpiry, "pkg_1", Jan15.AddHours(2));
        ledger = ledger.With(package);

        Assert.Equal(
            new CreditsAllocated("lot_3", "package:svc_hydrafacial", BenefitKind.TreatmentUnits, LotSource.Package, 6, packageExpiry, "pkg_1") { OccurredAt = Jan15.AddHours(2) },
            Assert.Single(package));
        Assert.Equal(4, ledger.Available(Neurotoxin, Feb15));
        Assert.Equal(0, ledger.Available(Neurotoxin, addOnExpiry));
        Assert.Equal(6, ledger.Available("package:svc_hydrafacial", addOnExpiry));
        Assert.Equal("invalid_quantity", Refused(() => ledger.Grant(Neurotoxin, BenefitKind.TreatmentUnits, LotSource.Bonus, 0, null, null, Jan15)).Code);
    }

    [Fact]
    public void Expiry_at_period_end_takes_only_what_is_left_of_lapsed_lots()
    {
        var ledger = Allocated(TwoNeurotoxin, FiftyDollarsOfFacials);
        ledger = ledger.With(ledger.Grant(Neurotoxin, BenefitKind.TreatmentUnits, LotSource.AddOn, 4, Apr15, "addon_1", Jan15));
        ledger = ledger.With(ledger.Redeem(Redemption("red_1", 1), null, Jan15.AddDays(1)));

        Assert.Empty(ledger.ExpireDue(Feb15.AddTicks(-1)));
        var expired = ledger.ExpireDue(Feb15);
        ledger = ledger.With(expired);

        Assert.Equal(
            [
                new CreditsExpired("lot_1", Neurotoxin, 1, ExpiryReason.Lapsed) { OccurredAt = Feb15 },
                new CreditsExpired("lot_2", Facial, 5_000, ExpiryReason.Lapsed) { OccurredAt = Feb15 },
            ],
            expired);
        Assert.Empty(ledger.ExpireDue(Feb15.AddDays(1)));
        var neurotoxin = ledger.Balances(Feb15, "usd").Single(b => b.BenefitKey == Neurotoxin);
        Assert.Equal((6L, 1L, 1L, 4L), (neurotoxin.Allocated, neurotoxin.Redeemed, neurotoxin.Expired, neurotoxin.Balance));
    }

    [Fact]
    public void A_lapsed_lot_counts_as_expired_before_the_expiry_is_recorded()
    {
        var balance = Assert.Single(Allocated(TwoNeurotoxin).Balances(Feb15, null));

        Assert.Equal((2L, 2L, 0L), (balance.Allocated, balance.Expired, balance.Balance));
        Assert.Empty(balance.Lots);
    }

    [Fact]
    public void Rolled_over_units_never_accumulate_beyond_the_cap()
    {
        // Three neurotoxin units a month, rolling over up to five.
        var rolling = new Benefit(BenefitKind.TreatmentUnits, Category: "neurotoxin", Units: 3, Rollover: new Rollover(5));
        var ledger = CreditLedger.Empty.With(CreditLedger.Empty.Allocate([rolling], Feb15, "pay_jan", Jan15));
        Assert.Null(ledger.Lots[0].ExpiresAt);
        Assert.Empty(ledger.ExpireDue(Feb15));

        var february = ledger.Allocate([rolling], Mar15, "pay_feb", Feb15);
        ledger = ledger.With(february);

        Assert.Equal(
            [
                new CreditsExpired("lot_1", Neurotoxin, 1, ExpiryReason.RolloverCap) { OccurredAt = Feb15 },
                new CreditsAllocated("lot_2", Neurotoxin, BenefitKind.TreatmentUnits, LotSource.Allocation, 3, null, "pay_feb") { OccurredAt = Feb15 },
            ],
            february);
        var afterFebruary = Assert.Single(ledger.Balances(Feb15, null));
        Assert.Equal((6L, 1L, 5L), (afterFebruary.Allocated, afterFebruary.Expired, afterFebruary.Balance));

        // Two used in March: 3 left + 3 new = 6, one over the cap, taken from the older lot.
        ledger = ledger.With(ledger.Redeem(Redemption("red_1", 2), null, Mar15.AddDays(-5)));
        var march = ledger.Allocate([rolling], Apr15, "pay_mar", Mar15);
        ledger = ledger.With(march);

        Assert.Equal(new CreditsExpired("lot_2", Neurotoxin, 1, ExpiryReason.RolloverCap) { OccurredAt = Mar15 }, march[0]);
        var afterMarch = Assert.Single(ledger.Balances(Mar15, null));
        Assert.Equal((9L, 2L, 2L, 5L), (afterMarch.Allocated, afterMarch.Redeemed, afterMarch.Expired, afterMarch.Balance));
        Assert.Equal([("lot_2", 2L), ("lot_3", 3L)], afterMarch.Lots.Select(l => (l.LotId, l.Remaining)));
    }

    [Fact]
    public void The_cap_takes_dated_lots_of_the_key_before_rolled_over_ones()
    {
        var rolling = new Benefit(BenefitKind.TreatmentUnits, Category: "neurotoxin", Units: 3, Rollover: new Rollover(5));
        var ledger = CreditLedger.Empty.With(CreditLedger.Empty.Allocate([rolling], Feb15, "pay_jan", Jan15));
        ledger = ledger.With(ledger.Grant(Neurotoxin, BenefitKind.TreatmentUnits, LotSource.AddOn, 2, Apr15, "addon_1", Jan15.AddDays(1)));

        var february = ledger.Allocate([rolling], Mar15, "pay_feb", Feb15);

        Assert.Equal(
            [
                new CreditsExpired("lot_2", Neurotoxin, 2, ExpiryReason.RolloverCap) { OccurredAt = Feb15 },
                new CreditsExpired("lot_1", Neurotoxin, 1, ExpiryReason.RolloverCap) { OccurredAt = Feb15 },
            ],
            february.Take(2));
        Assert.Equal(5, ledger.With(february).Available(Neurotoxin, Feb15));
    }

    [Fact]
    public void A_monthly_grant_above_the_cap_is_cut_to_the_cap()
    {
        var generous = new Benefit(BenefitKind.TreatmentUnits, Category: "neurotoxin", Units: 8, Rollover: new Rollover(5));

        var ledger = CreditLedger.Empty.With(CreditLedger.Empty.Allocate([generous], Feb15, "pay_jan", Jan15));

        var balance = Assert.Single(ledger.Balances(Jan15, null));
        Assert.Equal((8L, 3L, 5L), (balance.Allocated, balance.Expired, balance.Balance));
    }

    [Fact]
    public void Dollar_credits_are_counted_in_minor_units_of_the_practice_currency()
    {
        var ledger = Allocated(FiftyDollarsOfFacials, TwoNeurotoxin);
        ledger = ledger.With(ledger.Redeem(Redemption("red_1", 1_999, Facial), "chk_1", Jan15.AddDays(2)));

        var balances = ledger.Balances(Jan15.AddDays(2), "usd");

        Assert.Equal([Facial, Neurotoxin], balances.Select(b => b.BenefitKey));
        Assert.Equal((BenefitKind.DollarCredit, "usd", 5_000L, 1_999L, 3_001L), (balances[0].Kind, balances[0].Currency, balances[0].Allocated, balances[0].Redeemed, balances[0].Balance));
        Assert.Equal((BenefitKind.TreatmentUnits, (string?)null), (balances[1].Kind, balances[1].Currency));
    }

    [Fact]
    public void Unfreezing_pushes_every_dated_expiry_back_by_exactly_the_time_frozen()
    {
        var ledger = Allocated(TwoNeurotoxin);
        ledger = ledger.With(ledger.Grant(Neurotoxin, BenefitKind.TreatmentUnits, LotSource.Bonus, 1, null, "welcome", Jan15));
        var frozenAt = Jan15.AddDays(10);
        var unfrozenAt = frozenAt.AddDays(45).AddHours(3);
        ledger = ledger.With(ledger.Freeze(frozenAt));

        var unfrozen = ledger.Unfreeze(unfrozenAt);
        ledger = ledger.With(unfrozen);

        Assert.Equal([new CreditsUnfrozen(TimeSpan.FromDays(45) + TimeSpan.FromHours(3)) { OccurredAt = unfrozenAt }], unfrozen);
        Assert.Null(ledger.FrozenSince);
        Assert.Equal(Feb15.AddDays(45).AddHours(3), ledger.Lots[0].ExpiresAt);
        Assert.Null(ledger.Lots[1].ExpiresAt);
        Assert.Equal(3, ledger.Available(Neurotoxin, Feb15.AddDays(45).AddHours(3).AddTicks(-1)));
        Assert.Equal(1, ledger.Available(Neurotoxin, Feb15.AddDays(45).AddHours(3)));
    }

    [Fact]
    public void Frozen_credits_can_neither_be_redeemed_nor_expire()
    {
        var ledger = Allocated(TwoNeurotoxin);
        ledger = ledger.With(ledger.Freeze(Jan15.AddDays(10)));

        var redeeming = Refused(() => ledger.Redeem(Redemption("red_1", 1), null, Jan15.AddDays(11)));
        var adjustingDown = Refused(() => ledger.Adjust(new CreditAdjustmentRequest("adj_1", Neurotoxin, -1, "audit"), BenefitKind.TreatmentUnits, null, Jan15.AddDays(11)));

        Assert.Equal(("credits_frozen", RejectionKind.Conflict), (redeeming.Code, redeeming.Kind));
        Assert.Equal("credits_frozen", adjustingDown.Code);
        Assert.Empty(ledger.ExpireDue(Mar15));
        var balance = Assert.Single(ledger.Balances(Mar15, null));
        Assert.Equal((0L, 2L), (balance.Expired, balance.Balance));
        Assert.Equal(2, ledger.Available(Neurotoxin, Mar15));
    }

    [Fact]
    public void Freezing_and_unfreezing_twice_change_nothing()
    {
        var ledger = Allocated(TwoNeurotoxin);

        Assert.Empty(ledger.Unfreeze(Jan15.AddDays(1)));
        ledger = ledger.With(ledger.Freeze(Jan15.AddDays(1)));
        Assert.Empty(ledger.Freeze(Jan15.AddDays(2)));
        Assert.Equal(Jan15.AddDays(1), ledger.FrozenSince);
    }

    [Fact]
    public void When_the_membership_ends_everything_expires_but_packages()
    {
        var rolling = new Benefit(BenefitKind.TreatmentUnits, Category: "filler", Units: 1, Rollover: new Rollover(3));
        var ledger = Allocated(TwoNeurotoxin, FiftyDollarsOfFacials, rolling);
        ledger = ledger.With(ledger.Grant("package:svc_hydrafacial", BenefitKind.TreatmentUnits, LotSource.Package, 6, Jan15.AddDays(365), "pkg_1", Jan15));
        ledger = ledger.With(ledger.Redeem(Redemption("red_1", 2), null, Jan15.AddDays(1)));

        var ended = ledger.ExpireAll(Jan15.AddDays(20));
        ledger = ledger.With(ended);

        Assert.Equal(
            [
                new CreditsExpired("lot_2", Facial, 5_000, ExpiryReason.MembershipEnded) { OccurredAt = Jan15.AddDays(20) },
                new CreditsExpired("lot_3", "units:filler", 1, ExpiryReason.MembershipEnded) { OccurredAt = Jan15.AddDays(20) },
            ],
            ended);
        Assert.Equal(
            [("dollars:facial", 0L), ("package:svc_hydrafacial", 6L), ("units:filler", 0L), (Neurotoxin, 0L)],
            ledger.Balances(Jan15.AddDays(20), "usd").Select(b => (b.BenefitKey, b.Balance)));
    }

    [Fact]
    public void The_ledger_lists_every_change_with_the_balance_after_it()
    {
        var ledger = CreditLedger.Empty;
        var log = new List<MemberEvent>();
        void Record(IReadOnlyList<MemberEvent> events)
        {
            log.AddRange(events);
            ledger = ledger.With(events);
        }

        Record([new PeriodPaid(new DateOnly(2027, 1, 15), new DateOnly(2027, 2, 15), "pay_jan") { OccurredAt = Jan15 }]);
        Record(ledger.Allocate([TwoNeurotoxin], Feb15, "pay_jan", Jan15));
        Record(ledger.Grant(Neurotoxin, BenefitKind.TreatmentUnits, LotSource.AddOn, 3, Apr15, "addon_1", Jan15.AddDays(1)));
        Record(ledger.Redeem(Redemption("red_1", 3), "chk_1", Jan15.AddDays(2)));
        Record(ledger.Void("red_1", "no-show", Jan15.AddDays(3)));
        Record(ledger.Adjust(new CreditAdjustmentRequest("adj_1", Neurotoxin, -1, "audit"), BenefitKind.TreatmentUnits, null, Jan15.AddDays(4)));
        Record(ledger.Freeze(Jan15.AddDays(5)));
        Record(ledger.Unfreeze(Jan15.AddDays(6)));
        Record(ledger.ExpireDue(Feb15.AddDays(1)));

        var history = CreditLedger.History(log.Select((e, i) => ((long)i + 1, e)));

        Assert.Equal(
            [
                new LedgerEntry(2, Jan15, LedgerEntryType.Allocated, Neurotoxin, 2, 2, "lot_1", "pay_jan"),
                new LedgerEntry(3, Jan15.AddDays(1), LedgerEntryType.Granted, Neurotoxin, 3, 5, "lot_2", "addon_1"),
                new LedgerEntry(4, Jan15.AddDays(2), LedgerEntryType.Redeemed, Neurotoxin, -3, 2, Reference: "red_1"),
                new LedgerEntry(5, Jan15.AddDays(3), LedgerEntryType.Voided, Neurotoxin, 3, 5, Reference: "red_1", Reason: "no-show"),
                new LedgerEntry(6, Jan15.AddDays(4), LedgerEntryType.Adjusted, Neurotoxin, -1, 4, Reference: "adj_1", Reason: "audit"),
                new LedgerEntry(7, Jan15.AddDays(5), LedgerEntryType.Frozen, null, 0, 0),
                new LedgerEntry(8, Jan15.AddDays(6), LedgerEntryType.Unfrozen, null, 0, 0),
                new LedgerEntry(9, Feb15.AddDays(1), LedgerEntryType.Expired, Neurotoxin, -1, 3, "lot_1", Reason: "lapsed"),
            ],
            history);
    }

    [Fact]
    public void Expiries_under_the_cap_read_as_rollover_cap_in_the_ledger()
    {
        var rolling = new Benefit(BenefitKind.TreatmentUnits, Category: "neurotoxin", Units: 3, Rollover: new Rollover(5));
        var first = CreditLedger.Empty.Allocate([rolling], Feb15, "pay_jan", Jan15);
        var second = CreditLedger.Empty.With(first).Allocate([rolling], Mar15, "pay_feb", Feb15);

        var history = CreditLedger.History(first.Concat(second).Select((e, i) => ((long)i + 1, e)));

        Assert.Equal(new LedgerEntry(2, Feb15, LedgerEntryType.Expired, Neurotoxin, -1, 2, "lot_1", Reason: "rollover_cap"), history[1]);
        Assert.Equal(5, history[^1].BalanceAfter);
    }

    [Fact]
    public void An_event_folded_in_twice_counts_once()
    {
        var ledger = Allocated(TwoNeurotoxin);
        var log = new List<MemberEvent>(CreditLedger.Empty.Allocate([TwoNeurotoxin], Feb15, "pay_jan", Jan15));
        foreach (var decision in new Func<CreditLedger, IReadOnlyList<MemberEvent>>[]
        {
            l => l.Redeem(Redemption("red_1", 1), null, Jan15.AddDays(1)),
            l => l.Void("red_1", "no-show", Jan15.AddDays(2)),
            l => l.Adjust(new CreditAdjustmentRequest("adj_1", Neurotoxin, 2, "goodwill"), BenefitKind.TreatmentUnits, null, Jan15.AddDays(3)),
            l => l.Freeze(Jan15.AddDays(4)),
            l => l.Unfreeze(Jan15.AddDays(5)),
        })
        {
            var events = decision(ledger);
            log.AddRange(events);
            ledger = ledger.With(events);
        }

        // A row written twice by a retried store: the same lot, redemption, void, adjustment, freeze and unfreeze.
        var doubled = log.SelectMany(e => new[] { e, e }).ToList();

        Assert.Equal(ledger, CreditLedger.Empty.With(doubled));
        Assert.Equal(CreditLedger.History(log.Select((e, i) => ((long)i, e))).Count, CreditLedger.History(doubled.Select((e, i) => ((long)i, e))).Count);
    }

    [Fact]
    public void Other_member_events_leave_the_ledger_alone()
    {
        var ledger = Allocated(TwoNeurotoxin);

        Assert.Same(ledger, ledger.Apply(new PeriodPaid(new DateOnly(2027, 1, 15), new DateOnly(2027, 2, 15), "pay_jan") { OccurredAt = Jan15 }));
    }

    [Fact]
    public void A_ledger_rebuilt_from_its_events_equals_the_one_that_made_them()
    {
        var ledger = Allocated(TwoNeurotoxin, FiftyDollarsOfFacials);
        var log = new List<MemberEvent>(ledger.Lots.Count);
        log.AddRange(CreditLedger.Empty.Allocate([TwoNeurotoxin, FiftyDollarsOfFacials], Feb15, "pay_jan", Jan15));
        var redeemed = ledger.Redeem(Redemption("red_1", 1), null, Jan15.AddDays(1));
        log.AddRange(redeemed);
        ledger = ledger.With(redeemed);

        var rebuilt = CreditLedger.Empty.With(log);

        Assert.Equal(ledger, rebuilt);
        Assert.NotEqual(ledger, rebuilt.With(rebuilt.Void("red_1", "oops", Jan15.AddDays(2))));
    }
}
