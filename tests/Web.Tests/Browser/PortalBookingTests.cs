using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MedSpa.Tests;
using Microsoft.Playwright;

namespace MedSpa.Web.Tests.Browser;

/// <summary>A member books on a phone: the preview before confirming, their own visits only.</summary>
public sealed partial class PortalBookingTests(ClinicFixture fixture, Chromium chromium) : IClassFixture<ClinicFixture>, IClassFixture<Chromium>
{
    // What the product's own scripts send with an API command (see CookieApiGuard); the member's cookie travels too.
    private static readonly Dictionary<string, string> ApiRequest = new() { [StaffLogins.ApiRequestHeader] = "1" };

    [Fact]
    public async Task A_member_sees_the_preview_before_confirming_books_and_cancels_on_a_phone()
    {
        using var admin = fixture.Silo.AdminClient();
        var member = await fixture.Clinic.ActiveMemberAsync("Mia", "Mobile");
        var date = await TodayPageTests.BookableDateAsync(admin);
        var page = await chromium.OpenAsync(fixture.Silo.BaseAddress, phone: true);
        await SignInAsync(page, admin, member);

        await page.GotoAsync("/portal/book");
        await page.SelectOptionAsync("select[name=serviceId]", fixture.Clinic.NeurotoxinId);
        await page.FillAsync("input[name=date]", $"{date:yyyy-MM-dd}");
        await page.ClickAsync("text=See free times");
        await page.ClickAsync(".slots label:has-text('11:00')");
        await page.ClickAsync("text=Review");

        // Nothing is booked yet: the page says what the visit will use first.
        await Assertions.Expect(page.Locator(".confirm .preview")).ToHaveTextAsync("Covered by your membership: uses 1 neurotoxin unit");
        Assert.Empty((await admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{member}/appointments"))!);
        await Screenshots.SaveAsync(page, "portal-book");

        await page.ClickAsync("text=Confirm booking");

        await Assertions.Expect(page.Locator("p.notice")).ToContainTextAsync("Booked: Botox");
        await Assertions.Expect(page.Locator(".upcoming li")).ToHaveCountAsync(1);
        var booked = (await admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{member}/appointments"))!.Single();
        Assert.Equal("portal", booked.GetProperty("source").GetProperty("channel").GetString());
        Assert.Equal(await page.Locator(".upcoming li").GetAttributeAsync("data-appointment"), booked.GetProperty("id").GetString());
        // A phone needs no sideways scrolling.
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"));

        await page.ClickAsync(".upcoming li >> text=Cancel");

        await Assertions.Expect(page.Locator("p.notice")).ToContainTextAsync("Cancelled: Botox");
        await Assertions.Expect(page.Locator(".upcoming li")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_member_cannot_cancel_another_members_appointment_nor_book_for_them()
    {
        using var admin = fixture.Silo.AdminClient();
        var (mine, theirs) = (await fixture.Clinic.RegisterAsync("Max", "Mine"), await fixture.Clinic.RegisterAsync("Tess", "Theirs"));
        var date = (await TodayPageTests.BookableDateAsync(admin)).AddDays(7);
        var start = new DateTimeOffset(date.ToDateTime(new TimeOnly(15, 0)), TimeSpan.Zero);
        var theirAppointment = $"apt_{Guid.NewGuid():N}";
        (await admin.PostAsJsonAsync("/api/v1/appointments", new { appointmentId = theirAppointment, clientId = theirs, locationId = fixture.Clinic.LocationId, serviceId = fixture.Clinic.FacialId, start })).EnsureSuccessStatusCode();
        var mineAppointment = $"apt_{Guid.NewGuid():N}";
        (await admin.PostAsJsonAsync("/api/v1/appointments", new { appointmentId = mineAppointment, clientId = mine, locationId = fixture.Clinic.LocationId, serviceId = fixture.Clinic.FacialId, start })).EnsureSuccessStatusCode();
        var page = await chromium.OpenAsync(fixture.Silo.BaseAddress, phone: true);
        await SignInAsync(page, admin, mine);
        await page.GotoAsync("/portal/book");
        await Assertions.Expect(page.Locator(".upcoming li")).ToHaveCountAsync(1);

        // The cancel form of their own visit, pointed at someone else's.
        await page.Locator(".upcoming li input[name=appointmentId]").EvaluateAsync($"i => i.value = '{theirAppointment}'");
        var refused = await page.RunAndWaitForResponseAsync(() => page.ClickAsync(".upcoming li >> text=Cancel"), r => r.Request.Method == "POST");

        Assert.Equal(404, refused.Status);
        await Assertions.Expect(page.Locator("p.error")).ToHaveTextAsync("There is no appointment with this id.");
        Assert.Equal("booked", (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/appointments/{theirAppointment}")).GetProperty("status").GetString());

        // A booking form carries no client: whatever is added, the booking is the signed-in member's.
        await page.GotoAsync($"/portal/book?serviceId={fixture.Clinic.FacialId}&date={date:yyyy-MM-dd}");
        await page.ClickAsync(".slots label:has-text('11:00')");
        await page.ClickAsync("text=Review");
        await page.Locator(".confirm form").EvaluateAsync($"f => {{ const i = document.createElement('input'); i.type = 'hidden'; i.name = 'clientId'; i.value = '{theirs}'; f.appendChild(i); }}");
        await page.ClickAsync("text=Confirm booking");
        await Assertions.Expect(page.Locator("p.notice")).ToContainTextAsync("Booked");
        Assert.Single((await admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{theirs}/appointments"))!);
        Assert.Equal(2, (await admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{mine}/appointments"))!.Length);

        // And a member session opens none of the staff API.
        var api = await page.APIRequest.PostAsync("/api/v1/appointments", new() { DataObject = new { appointmentId = $"apt_{Guid.NewGuid():N}", clientId = theirs }, Headers = ApiRequest });
        Assert.Equal(401, api.Status);
    }

    /// <summary>Signs the member in through the emailed link, as they would: it arrives in the development mailbox.</summary>
    private static async Task SignInAsync(IPage page, HttpClient admin, string member)
    {
        var email = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{member}")).GetProperty("email").GetString()!;
        await page.APIRequest.PostAsync("/api/v1/portal/sign-in-link", new() { DataObject = new { email }, Headers = ApiRequest });
        var token = await Eventually.Until(async () =>
            {
                var mail = (await admin.GetFromJsonAsync<JsonElement[]>("/api/v1/mailbox"))!.FirstOrDefault(m => m.GetProperty("to").GetString() == email);
                return mail.ValueKind == JsonValueKind.Undefined ? null : SignInToken().Match(mail.GetProperty("text").GetString()!).Groups["token"].Value;
            },
            t => !string.IsNullOrEmpty(t), TimeSpan.FromSeconds(30), $"the sign-in mail to {email}");
        await page.GotoAsync($"/portal/sign-in?token={token}");
        await page.ClickAsync("button:has-text('Sign in')");
        await page.WaitForURLAsync(url => url.EndsWith("/portal", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"/sign-in\?token=(?<token>[A-Za-z0-9_-]{43})")]
    private static partial Regex SignInToken();
}
