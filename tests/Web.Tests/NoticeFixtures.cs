using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using MedSpa.Tests;

namespace MedSpa.Web.Tests;

/// <summary>
/// The test clinic with its mail going to smtp4dev over SMTP, branded as "Glow Test Spa". With
/// <see cref="StartMailServer"/> false the server's ports are reserved but nothing listens until a test starts it.
/// Retries are fast (1 s, doubling to 2 s) so a test sees several of them.
/// </summary>
public class SmtpClinicFixture : SiloFixture
{
    public const string PracticeName = "Glow Test Spa";
    /// <summary>Where the product is reached (<c>Web:PublicUrl</c>); mail links into the portal, served under it.</summary>
    public const string PublicUrl = "https://glow.test";

    public const string PortalUrl = $"{PublicUrl}/portal";

    public Smtp4dev Mail { get; } = new();

    public Clinic Clinic { get; private set; } = null!;

    protected virtual bool StartMailServer => true;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Notifications:From"] = $"{PracticeName} <hello@glow.test>",
        ["Notifications:PracticeName"] = PracticeName,
        ["Web:PublicUrl"] = PublicUrl,
        ["Notifications:Smtp:Host"] = "127.0.0.1",
        ["Notifications:Smtp:Port"] = Mail.SmtpPort.ToString(CultureInfo.InvariantCulture),
        ["Notifications:Smtp:Timeout"] = "00:00:05",
        ["Notifications:FirstRetry"] = "00:00:01",
        ["Notifications:LongestRetry"] = "00:00:02",
    };

    public override async Task InitializeAsync()
    {
        if (StartMailServer)
        {
            await Mail.StartAsync();
        }

        await base.InitializeAsync();
        Clinic = await Clinic.OpenAsync(Silo);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Mail.DisposeAsync();
    }
}

/// <summary>As <see cref="SmtpClinicFixture"/>, but the mail server is down until a test starts it.</summary>
public sealed class SmtpDownClinicFixture : SmtpClinicFixture
{
    protected override bool StartMailServer => false;
}

/// <summary>How tests get a notice issued: a member whose renewal is declined, and what the member's log says.</summary>
internal static class Notices
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    /// <summary>
    /// Enrols a member on a good card, swaps it for one that declines, and moves the clock past the renewal: billing
    /// records the decline and a <c>payment_failed</c> notice. Returns the member id.
    /// </summary>
    public static async Task<string> FailedRenewalAsync(HttpClient admin, Clinic clinic, string first, string last)
    {
        var id = await clinic.RegisterAsync(first, last);
        await SaveCardAsync(admin, id, "pm_card_visa");
        var enrolled = await (await admin.PostAsJsonAsync($"/api/v1/members/{id}/enrolment",
            new { planId = clinic.PremiumPlanId, agreement = new { signedName = $"{first} {last}", accepted = true } }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("active", enrolled.GetProperty("status").GetString());
        await SaveCardAsync(admin, id, "pm_card_chargeCustomerFail");

        var next = DateOnly.Parse(enrolled.GetProperty("nextBillingDate").GetString()!, CultureInfo.InvariantCulture).ToDateTime(new TimeOnly(9, 0));
        var renewal = new DateTimeOffset(next, NewYork.GetUtcOffset(next));
        var clock = await admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/clock");
        if (clock.GetProperty("now").GetDateTimeOffset() < renewal.AddMinutes(1))
        {
            using var advance = new HttpRequestMessage(HttpMethod.Post, "/api/v1/admin/clock/advance") { Content = JsonContent.Create(new { to = renewal.AddMinutes(1) }) };
            (await admin.SendAsync(advance)).EnsureSuccessStatusCode();
        }

        return id;
    }

    public static async Task<List<JsonElement>> OfTypeAsync(HttpClient admin, string id, string type) =>
        (await admin.EventsAsync(id)).Where(e => e.Type == type).Select(e => e.Payload).ToList();

    private static async Task SaveCardAsync(HttpClient admin, string id, string paymentMethodId) =>
        (await admin.PostAsJsonAsync($"/api/v1/members/{id}/payment-method", new { paymentMethodId })).EnsureSuccessStatusCode();
}
