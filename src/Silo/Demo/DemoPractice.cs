using MedSpa.Appointments;
using MedSpa.Access;
using MedSpa.Members;
using MedSpa.Plans;
using MedSpa.Practice;
using MedSpa.Web.Access;

namespace MedSpa.Silo.Demo;

// Contract data built here crosses grain calls, so it uses arrays: a collection expression typed as
// IReadOnlyList compiles to a synthesized list type the Orleans serializer has no codec for.
/// <summary>
/// <c>Demo:Seed=true</c> gives a deployment a practice to explore: two locations in different time zones, a
/// treatment menu, the Essential, Premium and VIP tiers, and a few clients, most of them members with credits
/// (one has used some, one is waiting for their first payment, one is a non-member with a package). Each part is
/// seeded only while it is empty, so a second run keeps the first run's data as it is.
/// </summary>
public sealed class DemoPractice(IGrainFactory grains, TimeProvider clock, StaffSignIn signIn, ILogger<DemoPractice> logger) : IHostedService
{
    public const string Setting = "Demo:Seed";

    /// <summary>The demo staff's password (README, Run it); a real practice's accounts are made at /settings/staff.</summary>
    public const string StaffPassword = "medspa-demo-password";

    private static readonly (string Email, string Name, StaffRole Role)[] Staff =
    [
        ("owner@demo.medspa", "Olivia Owner", StaffRole.Admin),
        ("desk@demo.medspa", "Dev Desk", StaffRole.FrontDesk),
        ("provider@demo.medspa", "Dr. Priya Provider", StaffRole.Provider),
    ];

    private static readonly NewLocation[] Locations =
    [
        new("Lumière Downtown", "America/New_York", "200 Park Avenue South, New York, NY"),
        new("Lumière Bayside", "America/Los_Angeles", "1 Ferry Building, San Francisco, CA"),
    ];

    private static readonly NewService[] Services =
    [
        new("Neurotoxin (up to 20 units)", "neurotoxin", Usd(30_000), 30),
        new("Dermal filler (1 syringe)", "filler", Usd(65_000), 45),
        new("HydraFacial", "facial", Usd(19_900), 60),
        new("Chemical peel", "facial", Usd(15_000), 45),
        new("Microneedling", "skin", Usd(35_000), 60),
        new("Laser hair removal (small area)", "laser", Usd(12_500), 20),
        new("IPL photofacial", "laser", Usd(40_000), 45),
        new("Skincare retail", "retail", Usd(8_500), 5),
    ];

    /// <summary>A demo client; <see cref="Card"/> is the test card renewals are charged on (one declines, to show dunning).</summary>
    private sealed record DemoClient(string FirstName, string LastName, string Email, string Phone, int Location, string? Plan, bool Paid, string? Card = null);

    private static readonly DemoClient[] Clients =
    [
        new("Amelia", "Hart", "amelia.hart@example.com", "+1 212 555 0142", 0, "plan_premium", Paid: true, Card: "pm_card_visa"),
        new("Jordan", "Ellis", "jordan.ellis@example.com", "+1 212 555 0178", 0, "plan_vip", Paid: true, Card: "pm_card_visa"),
        new("Sofia", "Marquez", "sofia.marquez@example.com", "+1 415 555 0123", 1, "plan_essential", Paid: true, Card: "pm_card_chargeCustomerFail"),
        new("Priya", "Nair", "priya.nair@example.com", "+1 415 555 0199", 1, "plan_premium", Paid: false),
        new("Chloe", "Bennett", "chloe.bennett@example.com", "+1 646 555 0111", 0, Plan: null, Paid: false),
    ];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var practice = grains.GetGrain<IPracticeGrain>(IPracticeGrain.Key);
        var catalogue = await practice.GetCatalogueAsync();
        if (catalogue.Locations.Count == 0 && catalogue.Services.Count == 0)
        {
            foreach (var location in Locations)
            {
                await practice.AddLocationAsync(location);
            }

            foreach (var service in Services)
            {
                await practice.AddServiceAsync(service);
            }

            catalogue = await practice.GetCatalogueAsync();
            logger.LogInformation("Seeded the demo practice: {Locations} locations, {Services} services", Locations.Length, Services.Length);
        }

        if (catalogue.PlanIds.Count == 0)
        {
            var directory = grains.GetGrain<IPlanDirectoryGrain>(IPlanDirectoryGrain.Key);
            foreach (var plan in Plans(catalogue))
            {
                await directory.CreateAsync(plan);
            }

            logger.LogInformation("Seeded the Essential, Premium and VIP plans");
        }

        if ((await grains.GetGrain<IMemberDirectoryGrain>(IMemberDirectoryGrain.Key).SearchAsync(null, 1)).Count == 0)
        {
            catalogue = await practice.GetCatalogueAsync();
            foreach (var client in Clients)
            {
                await SeedClientAsync(client, catalogue);
            }

            logger.LogInformation("Seeded {Clients} demo clients", Clients.Length);
            await SeedTodayAsync(catalogue);
        }

        await SeedStaffAsync();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task SeedStaffAsync()
    {
        var directory = grains.GetGrain<IStaffDirectoryGrain>(IStaffDirectoryGrain.Key);
        if ((await directory.ListAsync()).IsEmpty)
        {
            foreach (var (email, name, role) in Staff)
            {
                await directory.AddAsync(new NewStaffAccount(email, name, role, [], signIn.Hash(StaffPassword)));
            }

            logger.LogInformation("Seeded the demo staff: {Emails} (password {Password})", string.Join(", ", Staff.Select(s => s.Email)), StaffPassword);
        }
    }

    private async Task SeedClientAsync(DemoClient client, PracticeCatalogue catalogue)
    {
        var id = Identifiers.New("mem", clock.GetUtcNow());
        var member = grains.GetGrain<IMemberGrain>(id);
        await member.RegisterAsync(
            new NewClient(client.FirstName, client.LastName, client.Email, client.Phone, catalogue.Locations[client.Location].Id), Registrar.Staff);
        var neurotoxin = Service(catalogue, "neurotoxin").Id;
        var facial = Service(catalogue, "facial").Id;
        if (client.Plan is null)
        {
            await member.CheckoutAsync(new CheckoutRequest($"demo-{id}-package",
                new Basket(new[] { new BasketItem(Package: new PackageSale("3 HydraFacials", Usd(49_900), facial, 3)) }), Settlement.CardTerminal));
            return;
        }

        var membership = await member.EnrolAsync(
            new EnrolmentRequest(client.Plan, new AgreementAcceptance($"{client.FirstName} {client.LastName}", Accepted: true)),
            new SignatureContext("desk:demo", "127.0.0.1", "MedSpa demo seed"));
        if (!client.Paid)
        {
            return;
        }

        await member.RecordDeskPaymentAsync(new DeskPayment($"pay_demo_{id[4..]}", PaymentMethodKind.CardTerminal, membership.AmountDue!));
        if (client.Card is { } card)
        {
            await member.SavePaymentMethodAsync(card);
        }

        if (client.Plan != "plan_essential")
        {
            await member.CheckoutAsync(new CheckoutRequest($"demo-{id}-visit",
                new Basket(new[] { new BasketItem(neurotoxin), new BasketItem(Service(catalogue, "skin").Id) }), Settlement.CardTerminal));
        }
    }

    /// <summary>
    /// A few of the downtown clients booked for a neurotoxin visit later today (at the default opening hours), so the
    /// desk's /today has something on it; nothing when the location is closed or the day is over.
    /// </summary>
    private async Task SeedTodayAsync(PracticeCatalogue catalogue)
    {
        var location = catalogue.Locations[0];
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById(location.TimeZone)).DateTime);
        var neurotoxin = Service(catalogue, "neurotoxin");
        var slots = await grains.GetGrain<ILocationDayGrain>(ILocationDayGrain.KeyOf(location.Id, today)).GetAvailabilityAsync(neurotoxin.Id);
        var clients = (await grains.GetGrain<IMemberDirectoryGrain>(IMemberDirectoryGrain.Key).SearchAsync(null, Clients.Length))
            .Where(c => c.HomeLocationId == location.Id);
        var booked = 0;
        foreach (var (client, slot) in clients.Zip(slots.Where((_, i) => i % 4 == 0)))
        {
            var id = Identifiers.New("apt", clock.GetUtcNow());
            await grains.GetGrain<IAppointmentGrain>(id).BookAsync(new BookingRequest(id, client.Id, location.Id, neurotoxin.Id, slot.Start), AppointmentSource.Staff);
            booked++;
        }

        logger.LogInformation("Seeded {Appointments} appointments today at {Location}", booked, location.Name);
    }

    private static PlanTerms[] Plans(PracticeCatalogue catalogue)
    {
        var neurotoxin = Service(catalogue, "neurotoxin").Id;
        var hydraFacial = catalogue.Services.Single(s => s.Name == "HydraFacial").Id;
        return
        [
            new PlanTerms("Essential", "A monthly facial allowance and a member discount.", Usd(9_900), MinimumTermMonths: 3,
                Benefits: new Benefit[]
                {
                    new Benefit(BenefitKind.DollarCredit, Category: "facial", Amount: Usd(5_000)),
                    new Benefit(BenefitKind.Discount, Percent: 10),
                }),
            new PlanTerms("Premium", "Neurotoxin every month, facial credit that rolls over, and 15% off.", Usd(19_900), MinimumTermMonths: 6,
                Benefits: new Benefit[]
                {
                    new Benefit(BenefitKind.TreatmentUnits, ServiceId: neurotoxin, Units: 1, Rollover: new Rollover(3)),
                    new Benefit(BenefitKind.DollarCredit, Category: "facial", Amount: Usd(5_000), Rollover: new Rollover(10_000)),
                    new Benefit(BenefitKind.Discount, Percent: 15),
                },
                AddOns: new[] { new AddOn("Extra neurotoxin", Usd(25_000), BenefitKind.TreatmentUnits, ServiceId: neurotoxin, Units: 1, ValidForDays: 90) }),
            new PlanTerms("VIP", "Neurotoxin and a HydraFacial every month, laser credit, 20% off, and a buy-out option.", Usd(34_900), MinimumTermMonths: 12,
                Benefits: new Benefit[]
                {
                    new Benefit(BenefitKind.TreatmentUnits, ServiceId: neurotoxin, Units: 1, Rollover: new Rollover(3)),
                    new Benefit(BenefitKind.TreatmentUnits, ServiceId: hydraFacial, Units: 1),
                    new Benefit(BenefitKind.DollarCredit, Category: "laser", Amount: Usd(10_000), Rollover: new Rollover(20_000)),
                    new Benefit(BenefitKind.Discount, Percent: 20),
                },
                Cancellation: CancellationPolicy.BuyOut,
                ReactivationOffer: new ReactivationOffer(FirstMonthDiscountPercent: 50)),
        ];
    }

    private static Service Service(PracticeCatalogue catalogue, string category) => catalogue.Services.First(s => s.Category == category);

    private static Money Usd(long cents) => new(cents, "usd");
}
