using MedSpa.Plans;
using MedSpa.Practice;

namespace MedSpa.Domain.Tests.Plans;

/// <summary>A small practice and a tier that is valid in it; each test changes one thing.</summary>
internal static class PlanExamples
{
    public static readonly DateTimeOffset Now = new(2027, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static readonly PracticeCatalogue Catalogue = new(
        [
            new Location("loc_downtown", "Downtown", "America/New_York", null),
            new Location("loc_bayside", "Bayside", "America/Los_Angeles", null),
        ],
        [
            new Service("svc_tox", "Neurotoxin", "neurotoxin", Usd(30_000), 30),
            new Service("svc_filler", "Dermal filler", "filler", Usd(65_000), 45),
            new Service("svc_hydra", "HydraFacial", "facial", Usd(19_900), 60),
            new Service("svc_peel", "Chemical peel", "facial", Usd(15_000), 45),
            new Service("svc_serum", "Serum", "retail", Usd(8_500), 5),
        ]);

    public static PlanTerms Premium { get; } = new(
        "Premium",
        "Monthly neurotoxin and a facial allowance.",
        Usd(19_900),
        12,
        [
            new Benefit(BenefitKind.TreatmentUnits, ServiceId: "svc_tox", Units: 1, Rollover: new Rollover(3)),
            new Benefit(BenefitKind.DollarCredit, Category: "facial", Amount: Usd(5_000)),
            new Benefit(BenefitKind.Discount, Percent: 10),
        ]);

    public static Money Usd(long amount) => new(amount, "usd");

    public static PlanTerms WithBenefit(Benefit benefit) => Premium with { Benefits = [benefit] };

    public static PlanTerms WithAddOn(AddOn addOn) => Premium with { AddOns = [addOn] };
}
