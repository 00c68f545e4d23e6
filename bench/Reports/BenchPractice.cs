using MedSpa.Domain.Plans;
using MedSpa.Plans;
using MedSpa.Practice;

namespace MedSpa.Bench.Reports;

/// <summary>
/// The generated practice: three locations in three time zones, a treatment menu, and four tiers at different prices,
/// two of which get a second version a year in (new members sign the new terms, existing ones keep theirs), so reports
/// split by plan version have something to split.
/// </summary>
public sealed class BenchPractice
{
    public const string Tox = "svc_tox";
    public const string Filler = "svc_filler";
    public const string Hydra = "svc_hydra";
    public const string Peel = "svc_peel";
    public const string Microneedling = "svc_microneedling";
    public const string LaserHair = "svc_laser_hair";
    public const string Ipl = "svc_ipl";
    public const string Retail = "svc_retail";

    public const string Essential = "plan_essential";
    public const string Skin = "plan_skin-club";
    public const string Premium = "plan_premium";
    public const string Vip = "plan_vip";

    public BenchPractice(DateTimeOffset start)
    {
        Catalogue = new PracticeCatalogue(
            [
                new Location("loc_downtown", "Downtown", "America/New_York", "200 Park Avenue South, New York, NY"),
                new Location("loc_lakeside", "Lakeside", "America/Chicago", "401 N Michigan Ave, Chicago, IL"),
                new Location("loc_bayside", "Bayside", "America/Los_Angeles", "1 Ferry Building, San Francisco, CA"),
            ],
            [
                new Service(Tox, "Neurotoxin (up to 20 units)", "neurotoxin", Usd(30_000), 30),
                new Service(Filler, "Dermal filler (1 syringe)", "filler", Usd(65_000), 45),
                new Service(Hydra, "HydraFacial", "facial", Usd(19_900), 60),
                new Service(Peel, "Chemical peel", "facial", Usd(15_000), 45),
                new Service(Microneedling, "Microneedling", "skin", Usd(35_000), 60),
                new Service(LaserHair, "Laser hair removal (small area)", "laser", Usd(12_500), 20),
                new Service(Ipl, "IPL photofacial", "laser", Usd(40_000), 45),
                new Service(Retail, "Skincare retail", "retail", Usd(8_500), 5),
            ]);
        Zones = Catalogue.Locations.ToDictionary(l => l.Id, l => TimeZoneInfo.FindSystemTimeZoneById(l.TimeZone), StringComparer.Ordinal);

        var essential = new PlanTerms("Essential", "A monthly facial allowance and a member discount.", Usd(9_900), 3,
            [
                new Benefit(BenefitKind.DollarCredit, Category: "facial", Amount: Usd(5_000)),
                new Benefit(BenefitKind.Discount, Percent: 10),
            ]);
        var skin = new PlanTerms("Skin Club", "A HydraFacial every month and laser credit.", Usd(14_900), 6,
            [
                new Benefit(BenefitKind.TreatmentUnits, ServiceId: Hydra, Units: 1),
                new Benefit(BenefitKind.DollarCredit, Category: "laser", Amount: Usd(5_000), Rollover: new Rollover(15_000)),
                new Benefit(BenefitKind.Discount, Percent: 10),
            ],
            ReactivationOffer: new ReactivationOffer(FirstMonthDiscountPercent: 25));
        var premium = new PlanTerms("Premium", "Neurotoxin every month, facial credit that rolls over, and 15% off.", Usd(19_900), 6,
            [
                new Benefit(BenefitKind.TreatmentUnits, ServiceId: Tox, Units: 1, Rollover: new Rollover(3)),
                new Benefit(BenefitKind.DollarCredit, Category: "facial", Amount: Usd(5_000), Rollover: new Rollover(10_000)),
                new Benefit(BenefitKind.Discount, Percent: 15),
            ],
            AddOns: [new AddOn("Extra neurotoxin", Usd(25_000), BenefitKind.TreatmentUnits, ServiceId: Tox, Units: 1, ValidForDays: 90)],
            ReactivationOffer: new ReactivationOffer(BonusBenefitKey: "units:" + Tox, BonusQuantity: 1, SendAfterDays: 30));
        var vip = new PlanTerms("VIP", "Neurotoxin and a HydraFacial every month, laser credit, 20% off, and a buy-out option.", Usd(34_900), 12,
            [
                new Benefit(BenefitKind.TreatmentUnits, ServiceId: Tox, Units: 1, Rollover: new Rollover(3)),
                new Benefit(BenefitKind.TreatmentUnits, ServiceId: Hydra, Units: 1),
                new Benefit(BenefitKind.DollarCredit, Category: "laser", Amount: Usd(10_000), Rollover: new Rollover(20_000)),
                new Benefit(BenefitKind.Discount, Percent: 20),
            ],
            Cancellation: CancellationPolicy.BuyOut,
            ReactivationOffer: new ReactivationOffer(FirstMonthDiscountPercent: 50, SendAfterDays: 14));

        var created = start.AddDays(-30);
        var revised = start.AddMonths(12);
        Plans = new Dictionary<string, Plan>(StringComparer.Ordinal)
        {
            [Essential] = PlanHistory.Revise(PlanHistory.Create(null, Essential, essential, Catalogue, created), Essential,
                essential with { MonthlyPrice = Usd(10_900) }, Catalogue, revised.AddMonths(6)),
            [Skin] = PlanHistory.Create(null, Skin, skin, Catalogue, created),
            [Premium] = PlanHistory.Revise(PlanHistory.Create(null, Premium, premium, Catalogue, created), Premium,
                premium with { MonthlyPrice = Usd(21_900) }, Catalogue, revised),
            [Vip] = PlanHistory.Create(null, Vip, vip, Catalogue, created),
        };
        Services = Catalogue.Services;
    }

    public PracticeCatalogue Catalogue { get; }

    public IReadOnlyList<Service> Services { get; }

    public IReadOnlyDictionary<string, TimeZoneInfo> Zones { get; }

    public IReadOnlyDictionary<string, Plan> Plans { get; }

    /// <summary>Plans from cheapest to dearest, with how often a new member picks each.</summary>
    public static readonly (string PlanId, int Weight)[] Tiers = [(Essential, 35), (Skin, 15), (Premium, 35), (Vip, 15)];

    public TimeZoneInfo? ZoneOf(string locationId) => Zones.GetValueOrDefault(locationId);

    /// <summary>The version a member signing up at <paramref name="now"/> gets: the newest one created by then.</summary>
    public PlanVersion VersionAt(string planId, DateTimeOffset now) => Plans[planId].Versions.Last(v => v.CreatedAt <= now);

    public static int Rank(string planId) => Array.FindIndex(Tiers, t => t.PlanId == planId);

    public static Money Usd(long cents) => new(cents, "usd");
}
