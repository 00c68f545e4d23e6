using System.Net.Http.Json;
using System.Text.Json;

namespace MedSpa.Tests;

/// <summary>
/// A small practice set up through the public API, with known prices, for tests about members: one location in
/// New York, a menu, and the Premium plan (one neurotoxin treatment and $50 of facial credit a month, rolling
/// over up to 3 treatments and $100; 10% off everything else; a 6-month term; a 12-unit add-on).
/// </summary>
public sealed class Clinic
{
    public const long NeurotoxinPrice = 30_000;
    public const long FacialPrice = 19_900;
    public const long FillerPrice = 65_000;
    public const long PremiumPrice = 19_900;

    private readonly HttpClient _admin;
    private int _clients;

    private Clinic(HttpClient admin) => _admin = admin;

    public string LocationId { get; private set; } = "";

    public string NeurotoxinId { get; private set; } = "";

    public string FacialId { get; private set; } = "";

    public string FillerId { get; private set; } = "";

    public string PremiumPlanId { get; private set; } = "";

    public static string NeurotoxinKey => "units:neurotoxin";

    public static string FacialCreditKey => "dollars:facial";

    public static Task<Clinic> OpenAsync(TestSilo silo) => OpenAsync(silo.AdminClient());

    /// <summary>Sets the clinic up through <paramref name="admin"/>, an administrator's client of any silo (a separate process too).</summary>
    public static async Task<Clinic> OpenAsync(HttpClient admin)
    {
        var clinic = new Clinic(admin);
        clinic.LocationId = await clinic.CreateAsync("/api/v1/locations", new { name = "Test Clinic", timeZone = "America/New_York" });
        clinic.NeurotoxinId = await clinic.CreateAsync("/api/v1/services", Service("Botox", "neurotoxin", NeurotoxinPrice));
        clinic.FacialId = await clinic.CreateAsync("/api/v1/services", Service("HydraFacial", "facial", FacialPrice));
        clinic.FillerId = await clinic.CreateAsync("/api/v1/services", Service("Filler", "filler", FillerPrice));
        clinic.PremiumPlanId = await clinic.CreateAsync("/api/v1/plans", new
        {
            name = "Premium",
            description = "Monthly neurotoxin and facial credit",
            monthlyPrice = Usd(PremiumPrice),
            minimumTermMonths = 6,
            benefits = new object[]
            {
                new { kind = "treatment_units", category = "neurotoxin", units = 1, rollover = new { maxAccumulation = 3 } },
                new { kind = "dollar_credit", category = "facial", amount = Usd(5_000), rollover = new { maxAccumulation = 10_000 } },
                new { kind = "discount", percent = 10 },
            },
            addOns = new object[] { new { name = "Extra neurotoxin", price = Usd(25_000), kind = "treatment_units", category = "neurotoxin", units = 1, validForDays = 90 } },
        });
        return clinic;
    }

    /// <summary>Registers a client with a unique email; returns the member id.</summary>
    public Task<string> RegisterAsync(string firstName = "Ava", string lastName = "Stone") =>
        CreateAsync("/api/v1/members", new
        {
            firstName,
            lastName,
            email = $"{firstName}.{lastName}.{Interlocked.Increment(ref _clients)}.{Guid.NewGuid():N}@example.com".ToLowerInvariant(),
            phone = "+1 212 555 0100",
            homeLocationId = LocationId,
        });

    /// <summary>A client enrolled on Premium and paid at the desk: an active member with this month's credits.</summary>
    public async Task<string> ActiveMemberAsync(string firstName = "Ava", string lastName = "Stone")
    {
        var id = await RegisterAsync(firstName, lastName);
        (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/enrolment",
            new { planId = PremiumPlanId, agreement = new { signedName = $"{firstName} {lastName}", accepted = true } })).EnsureSuccessStatusCode();
        (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/desk-payments",
            new { paymentId = $"pay_{Guid.NewGuid():N}", method = "card_terminal", amount = Usd(PremiumPrice) })).EnsureSuccessStatusCode();
        return id;
    }

    /// <summary>A client who saved Stripe's test Visa and enrolled on Premium, the first month charged on it: renewals go to the card.</summary>
    public async Task<string> CardMemberAsync(string firstName = "Ava", string lastName = "Stone")
    {
        var id = await RegisterAsync(firstName, lastName);
        (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/payment-method", new { paymentMethodId = "pm_card_visa" })).EnsureSuccessStatusCode();
        using var enrolled = await _admin.PostAsJsonAsync($"/api/v1/members/{id}/enrolment",
            new { planId = PremiumPlanId, agreement = new { signedName = $"{firstName} {lastName}", accepted = true } });
        var answer = await enrolled.Content.ReadAsStringAsync();
        if (!enrolled.IsSuccessStatusCode || JsonDocument.Parse(answer).RootElement.GetProperty("status").GetString() != "active")
        {
            throw new InvalidOperationException($"{id} enrolled as {(int)enrolled.StatusCode} {answer}");
        }

        return id;
    }

    public static object Usd(long cents) => new { amount = cents, currency = "usd" };

    private static object Service(string name, string category, long price) =>
        new { name, category, price = Usd(price), durationMinutes = 30 };

    private async Task<string> CreateAsync(string path, object body)
    {
        var response = await _admin.PostAsJsonAsync(path, body);
        var content = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path} failed with {(int)response.StatusCode}: {content}");
        }

        return JsonDocument.Parse(content).RootElement.GetProperty("id").GetString()!;
    }
}
