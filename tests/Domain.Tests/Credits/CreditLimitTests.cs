using MedSpa.Domain.Credits;
using MedSpa.Members;
using MedSpa.Plans;

namespace MedSpa.Domain.Tests.Credits;

/// <summary>
/// Issue 19, finding 10: the ceilings of <see cref="Limits"/> on every movement of credit, and a fold that refuses
/// (rather than wraps round on) a log whose figures no longer add up.
/// </summary>
public sealed class CreditLimitTests
{
    private const string Neurotoxin = "units:neurotoxin";
    private const string Facial = "dollars:facial";
    private static readonly DateTimeOffset Jan15 = new(2027, 1, 15, 9, 0, 0, TimeSpan.Zero);

    private static readonly CreditLedger TwoUnitsAndFiftyDollars = CreditLedger.Empty
        .With(CreditLedger.Empty.Grant(Neurotoxin, BenefitKind.TreatmentUnits, LotSource.Bonus, 2, null, "bonus", Jan15))
        .With([new CreditsAllocated("lot_2", Facial, BenefitKind.DollarCredit, LotSource.Bonus, 5_000, null, "bonus") { OccurredAt = Jan15 }]);

    [Theory]
    [InlineData(BenefitKind.TreatmentUnits, long.MaxValue)]
    [InlineData(BenefitKind.TreatmentUnits, long.MinValue)]
    [InlineData(BenefitKind.TreatmentUnits, Limits.MaxUnits + 1)]
    [InlineData(BenefitKind.TreatmentUnits, -Limits.MaxUnits - 1)]
    [InlineData(BenefitKind.DollarCredit, Limits.MaxAmount + 1)]
    [InlineData(BenefitKind.DollarCredit, -Limits.MaxAmount - 1)]
    public void An_adjustment_beyond_the_ceiling_either_way_is_refused(BenefitKind kind, long quantity)
    {
        var key = kind == BenefitKind.DollarCredit ? Facial : Neurotoxin;

        var refused = Assert.Throws<CommandRejectedException>(() =>
            TwoUnitsAndFiftyDollars.Adjust(new CreditAdjustmentRequest("adj_1", key, quantity, "Typo"), kind, null, Jan15));

        Assert.Equal((Limits.QuantityOutOfRange, RejectionKind.Invalid), (refused.Code, refused.Kind));
    }

    [Fact]
    public void The_ceiling_itself_is_taken()
    {
        var up = TwoUnitsAndFiftyDollars.Adjust(new CreditAdjustmentRequest("adj_units", Neurotoxin, Limits.MaxUnits, "Largest"), BenefitKind.TreatmentUnits, null, Jan15);
        var dollars = TwoUnitsAndFiftyDollars.Adjust(new CreditAdjustmentRequest("adj_dollars", Facial, Limits.MaxAmount, "Largest"), BenefitKind.DollarCredit, null, Jan15);

        var ledger = TwoUnitsAndFiftyDollars.With(up).With(dollars);
        Assert.Equal(2 + Limits.MaxUnits, ledger.Available(Neurotoxin, Jan15));
        Assert.Equal(5_000 + Limits.MaxAmount, ledger.Available(Facial, Jan15));
    }

    [Theory]
    [InlineData(long.MaxValue)]
    [InlineData(Limits.MaxUnits + 1)]
    public void A_redemption_or_a_grant_beyond_the_ceiling_is_refused(long quantity)
    {
        Assert.Equal(Limits.QuantityOutOfRange, Assert.Throws<CommandRejectedException>(() =>
            TwoUnitsAndFiftyDollars.Redeem(new RedemptionRequest("red_1", Neurotoxin, quantity), null, Jan15)).Code);
        Assert.Equal(Limits.QuantityOutOfRange, Assert.Throws<CommandRejectedException>(() =>
            TwoUnitsAndFiftyDollars.Grant(Neurotoxin, BenefitKind.TreatmentUnits, LotSource.Bonus, quantity, null, null, Jan15)).Code);
    }

    [Fact]
    public void A_downward_adjustment_of_the_smallest_long_cannot_be_folded_in()
    {
        // What the API recorded before the ceiling: a negation of long.MinValue is long.MinValue, so it drew nothing.
        var poison = new CreditsAdjusted("adj_min", Neurotoxin, BenefitKind.TreatmentUnits, long.MinValue, "Typo", null, null, []) { OccurredAt = Jan15 };

        Assert.Throws<OverflowException>(() => TwoUnitsAndFiftyDollars.Apply(poison));
    }

    [Fact]
    public void A_redemption_whose_draws_do_not_add_up_to_it_cannot_be_folded_in()
    {
        var poison = new CreditsRedeemed("red_1", Neurotoxin, 2, [new LotDraw("lot_1", 1)], null, null) { OccurredAt = Jan15 };

        Assert.Throws<InvalidOperationException>(() => TwoUnitsAndFiftyDollars.Apply(poison));
    }

    [Fact]
    public void A_grant_that_would_take_a_total_past_a_long_throws_instead_of_wrapping_round()
    {
        var huge = CreditLedger.Empty.With([new CreditsAllocated("lot_1", Neurotoxin, BenefitKind.TreatmentUnits, LotSource.Bonus, long.MaxValue, null, null) { OccurredAt = Jan15 }]);

        Assert.Throws<OverflowException>(() =>
            huge.Apply(new CreditsAllocated("lot_2", Neurotoxin, BenefitKind.TreatmentUnits, LotSource.Bonus, 1, null, null) { OccurredAt = Jan15 }));
    }
}
