using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MedSpa.Tests;
using Microsoft.Playwright;

namespace MedSpa.Web.Tests.Browser;

/// <summary>
/// A member suspended for non-payment, on the desk's page and in the portal (issue 19, finding 6): each says why and
/// since when, offers the card update before anything else, never calls it a pause; included treatments cannot be
/// redeemed or booked, at the desk or in the portal, with one reason; and the card update pays and reactivates at once,
/// as the emulator's record shows. On a silo of its own: it moves the clock past a renewal.
/// </summary>
public sealed partial class SuspendedMemberPagesTests(ClinicFixture fixture, Chromium chromium) : IClassFixture<ClinicFixture>, IClassFixture<Chromium>
{
    // What the product's own scripts send with an API command (see CookieApiGuard); the member's cookie travels too.
    private static readonly Dictionary<string, string> ApiRequest = new() { [StaffLogins.ApiRequestHeader] = "1" };

    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private readonly HttpClient _admin = fixture.Silo.AdminClient();
    private Clinic Clinic => fixture.Clinic;

    [Fact]
    public async Task The_desk_and_the_portal_say_suspended_for_non_payment_since_when_offer_the_card_first_and_refuse_included_bookings()
    {
        var id = await Clinic.CardMemberAsync("Sue", "Spended");
        await _admin.PostOkAsync($"/api/v1/members/{id}/payment-method", new { paymentMethodId = "pm_card_chargeCustomerFail" });
        var renewal = DateOnly.Parse((await _admin.MembershipAsync(id)).GetProperty("nextBillingDate").GetString()!, CultureInfo.InvariantCulture);
        var nine = renewal.ToDateTime(new TimeOnly(9, 0));
        var suspendedAt = new DateTimeOffset(nine, NewYork.GetUtcOffset(nine)).AddHours(72);
        await _admin.AdvanceClockToAsync(suspendedAt.AddHours(2));
        var membership = await _admin.MembershipAsync(id);
        Assert.Equal("suspended", membership.GetProperty("status").GetString());
        var suspendedOn = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(suspendedAt, NewYork).DateTime);
        Assert.Equal(suspendedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), membership.GetProperty("suspendedOn").GetString());

        // The desk: why and since when at the top, then the card update before any other action.
        var desk = await chromium.OpenAsync(fixture.Silo.BaseAddress);
        await StaffSession.SignInAsync(desk, fixture.Silo);
        await desk.GotoAsync($"/members/{id}");
        await Assertions.Expect(desk.Locator("[data-suspended]")).ToContainTextAsync($"Suspended for non-payment since {suspendedOn:yyyy-MM-dd}");
        await Assertions.Expect(desk.Locator("[data-suspended]")).ToContainTextAsync("199.00 USD is due");
        Assert.Contains("handler=Card", await desk.Locator(".member-page form").First.GetAttributeAsync("action"), StringComparison.Ordinal);
        await Assertions.Expect(desk.Locator("section.credits h2")).ToHaveTextAsync("Credits (frozen until the payment is made)");
        Assert.DoesNotContain("paused", (await desk.Locator(".member-page").InnerTextAsync()).Replace("Pause", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        await Screenshots.SaveAsync(desk, "member-suspended");

        // Included treatments cannot be redeemed or booked by the desk; what the plan does not include can be.
        var events = (await _admin.EventsAsync(id)).Count;
        await ProblemAssert.IsProblem(await _admin.PostAsJsonAsync($"/api/v1/members/{id}/redemptions",
            new { redemptionId = "red_suspended", benefitKey = Clinic.NeurotoxinKey, quantity = 1 }), HttpStatusCode.Conflict, "membership_suspended");
        var date = await TodayPageTests.BookableDateAsync(_admin);
        var start = Local(date, 11);
        var refused = await _admin.PostAsJsonAsync("/api/v1/appointments", new { appointmentId = NewId(), clientId = id, locationId = Clinic.LocationId, serviceId = Clinic.NeurotoxinId, start });
        var problem = await ProblemAssert.IsProblem(refused, HttpStatusCode.Conflict, "membership_suspended");
        await ProblemAssert.IsProblem(await _admin.PostAsJsonAsync("/api/v1/appointments",
            new { appointmentId = NewId(), clientId = id, locationId = Clinic.LocationId, serviceId = Clinic.FacialId, start }), HttpStatusCode.Conflict, "membership_suspended");
        await ProblemAssert.IsProblem(await _admin.PostAsJsonAsync($"/api/v1/locations/{Clinic.LocationId}/walk-ins",
            new { appointmentId = NewId(), clientId = id, serviceId = Clinic.NeurotoxinId }), HttpStatusCode.Conflict, "membership_suspended");
        (await _admin.PostAsJsonAsync("/api/v1/appointments",
            new { appointmentId = NewId(), clientId = id, locationId = Clinic.LocationId, serviceId = Clinic.FillerId, start = Local(date, 14) })).EnsureSuccessStatusCode();
        Assert.Equal(events, (await _admin.EventsAsync(id)).Count);
        Assert.Single((await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/appointments"))!);

        // The portal: the reason and the card link first; credits frozen until the payment, never "paused".
        var portal = await chromium.OpenAsync(fixture.Silo.BaseAddress, phone: true);
        await SignInAsync(portal, id);
        await Assertions.Expect(portal.Locator("[data-suspended]")).ToContainTextAsync($"Your membership is suspended for non-payment since {suspendedOn.ToString("MMM d, yyyy", CultureInfo.GetCultureInfo("en-US"))}");
        Assert.Equal($"/portal/members/{id}/card", await portal.Locator("main a.button").First.GetAttributeAsync("href"));
        await Assertions.Expect(portal.Locator("[data-frozen=suspended]")).ToContainTextAsync("frozen until the payment is made");
        Assert.DoesNotContain("paused", await portal.Locator("body").InnerTextAsync(), StringComparison.OrdinalIgnoreCase);
        await Screenshots.SaveAsync(portal, "portal-suspended");

        // Booking an included treatment in the portal is refused with the desk's words.
        await portal.GotoAsync($"/portal/book?serviceId={Clinic.NeurotoxinId}&date={date:yyyy-MM-dd}");
        await portal.ClickAsync(".slots label:has-text('11:00')");
        await portal.ClickAsync("text=Review");
        var answer = await portal.RunAndWaitForResponseAsync(() => portal.ClickAsync("text=Confirm booking"), r => r.Request.Method == "POST");
        Assert.Equal(409, answer.Status);
        await Assertions.Expect(portal.Locator("p.error")).ToHaveTextAsync(problem.GetProperty("detail").GetString()!);
        Assert.Single((await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/appointments"))!);

        // The card update the page offered first: charged at once for the period, active again, credits back.
        await portal.GotoAsync("/portal");
        await portal.Locator("[data-update-card]").ClickAsync();
        await portal.Locator("input[name=card][value=pm_card_visa]").CheckAsync();
        await portal.ClickAsync("text=Save this card");
        await Assertions.Expect(portal.Locator("p.notice[role=status]")).ToHaveTextAsync("Your card is saved and was charged $199.00: your membership is active again.");
        Assert.Equal("active", (await _admin.MembershipAsync(id)).GetProperty("status").GetString());
        var charged = await SucceededAmountsAsync(id);
        Assert.Equal([19_900L, 19_900L], charged);
        Assert.False((await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}/credits")).GetProperty("frozen").GetBoolean());
    }

    private async Task SignInAsync(IPage page, string member)
    {
        var email = (await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{member}")).GetProperty("email").GetString()!;
        await page.APIRequest.PostAsync("/api/v1/portal/sign-in-link", new() { DataObject = new { email }, Headers = ApiRequest });
        var token = await Eventually.Until(async () =>
            {
                var mail = (await _admin.GetFromJsonAsync<JsonElement[]>("/api/v1/mailbox"))!.FirstOrDefault(m => m.GetProperty("to").GetString() == email
                    && m.GetProperty("subject").GetString()!.Contains("sign-in link", StringComparison.OrdinalIgnoreCase));
                return mail.ValueKind == JsonValueKind.Undefined ? null : SignInToken().Match(mail.GetProperty("text").GetString()!).Groups["token"].Value;
            },
            t => !string.IsNullOrEmpty(t), TimeSpan.FromSeconds(30), $"the sign-in mail to {email}");
        await page.GotoAsync($"/portal/sign-in?token={token}");
        await page.ClickAsync("button:has-text('Sign in')");
        await page.WaitForURLAsync(url => url.EndsWith("/portal", StringComparison.Ordinal));
    }

    /// <summary>The amounts of the member's succeeded PaymentIntents in the emulator, oldest first: what was really taken.</summary>
    private async Task<List<long>> SucceededAmountsAsync(string memberId)
    {
        using var emulator = StripeAccount.ControlClient(fixture.Silo.StripeEmulator);
        return (await emulator.GetFromJsonAsync<JsonElement[]>("/_emulator/payment_intents"))!
            .Where(pi => pi.TryGetProperty("metadata", out var metadata) && metadata.TryGetProperty("member_id", out var m) && m.GetString() == memberId
                && pi.GetProperty("status").GetString() == "succeeded")
            .OrderBy(pi => pi.GetProperty("created").GetInt64())
            .Select(pi => pi.GetProperty("amount").GetInt64())
            .ToList();
    }

    private static DateTimeOffset Local(DateOnly date, int hour)
    {
        var local = date.ToDateTime(new TimeOnly(hour, 0));
        return new DateTimeOffset(local, NewYork.GetUtcOffset(local));
    }

    private static string NewId() => $"apt_{Guid.NewGuid():N}";

    [GeneratedRegex(@"/sign-in\?token=(?<token>[A-Za-z0-9_-]{43})")]
    private static partial Regex SignInToken();
}
