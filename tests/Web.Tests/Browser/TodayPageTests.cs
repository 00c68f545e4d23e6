using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace MedSpa.Web.Tests.Browser;

/// <summary>The desk's day in a real browser: book a client into a free time, see the preview, check them in.</summary>
public sealed class TodayPageTests(ClinicFixture fixture, Chromium chromium) : IClassFixture<ClinicFixture>, IClassFixture<Chromium>
{
    [Fact]
    public async Task The_desk_books_a_member_on_today_sees_the_preview_and_checks_them_in()
    {
        using var admin = fixture.Silo.AdminClient();
        var member = await fixture.Clinic.ActiveMemberAsync("Tara", "Today");
        var date = await BookableDateAsync(admin);
        var page = await chromium.OpenAsync(fixture.Silo.BaseAddress);
        await StaffSession.SignInAsync(page, fixture.Silo);

        await page.GotoAsync($"/today?location={fixture.Clinic.LocationId}&date={date:yyyy-MM-dd}");
        await page.FillAsync("input[name=q]", "Tara Today");
        await page.SelectOptionAsync("select[name=serviceId]", fixture.Clinic.NeurotoxinId);
        await page.ClickAsync("text=Find client and times");
        await page.SelectOptionAsync("form.book select[name=clientId]", member);
        await page.Locator("form.book select[name=start]").SelectOptionAsync(new SelectOptionValue { Index = 4 });
        await page.ClickAsync("form.book button[type=submit]");

        var row = page.Locator("tr[data-appointment]");
        await Assertions.Expect(page.Locator("p.notice")).ToHaveTextAsync("Booked.");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row.Locator("td").Nth(0)).ToHaveTextAsync("10:00–10:30");
        await Assertions.Expect(row.Locator("a[href='/members/" + member + "']")).ToHaveTextAsync("Tara Today");
        await Assertions.Expect(row.Locator("td.preview")).ToHaveTextAsync("uses 1 neurotoxin unit");
        await Assertions.Expect(row.Locator($"[data-live-member='{member}'] [data-live-balance='units:neurotoxin']")).ToHaveTextAsync("1");
        await Assertions.Expect(row.Locator($"[data-live-member='{member}'] [data-live-status]")).ToHaveTextAsync("Active");
        Assert.Equal(fixture.Clinic.LocationId, await page.Locator("[data-live-location]").GetAttributeAsync("data-live-location"));

        await row.Locator("text=Check in").ClickAsync();

        await Assertions.Expect(page.Locator("p.notice")).ToHaveTextAsync("Checked in.");
        await Assertions.Expect(row.Locator(".status.appointment-checked_in")).ToHaveTextAsync("checked in");
        var booked = (await admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{member}/appointments"))!.Single();
        Assert.Equal(("checked_in", "staff"), (booked.GetProperty("status").GetString(), booked.GetProperty("source").GetProperty("channel").GetString()));
        await Screenshots.SaveAsync(page, "today");

        // The location is remembered: /today alone comes back to it.
        await page.GotoAsync("/today");
        Assert.Equal(fixture.Clinic.LocationId, await page.Locator("[data-live-location]").GetAttributeAsync("data-live-location"));
    }

    [Fact]
    public async Task A_refused_booking_is_a_message_on_the_page_not_an_error_page()
    {
        using var admin = fixture.Silo.AdminClient();
        await fixture.Clinic.RegisterAsync("Ned", "Nowhere");
        var date = (await BookableDateAsync(admin)).AddDays(7);
        var page = await chromium.OpenAsync(fixture.Silo.BaseAddress);
        await StaffSession.SignInAsync(page, fixture.Silo);
        await page.GotoAsync($"/today?location={fixture.Clinic.LocationId}&date={date:yyyy-MM-dd}&q=Ned+Nowhere&serviceId={fixture.Clinic.FacialId}");

        // A time the clinic is closed, as a stale or tampered form would send.
        await page.Locator("form.book select[name=start] option").First.EvaluateAsync($"o => o.value = '{date:yyyy-MM-dd}T03:00:00Z'");
        await page.ClickAsync("form.book button[type=submit]");

        await Assertions.Expect(page.Locator("p.error")).ToContainTextAsync("not open");
        await Assertions.Expect(page.Locator("tr[data-appointment]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_booking_made_elsewhere_appears_on_an_open_desk_page_without_a_reload()
    {
        using var admin = fixture.Silo.AdminClient();
        var member = await fixture.Clinic.ActiveMemberAsync("Lena", "Live");
        var date = (await BookableDateAsync(admin)).AddDays(14);
        var page = await chromium.OpenAsync(fixture.Silo.BaseAddress);
        await StaffSession.SignInAsync(page, fixture.Silo);
        await page.GotoAsync($"/today?location={fixture.Clinic.LocationId}&date={date:yyyy-MM-dd}");
        await Assertions.Expect(page.Locator("tr[data-appointment]")).ToHaveCountAsync(0);
        await page.EvaluateAsync("window.__notReloaded = true");

        // Booked by someone else (another desk, the portal, an external system) while this page is open.
        var local = date.ToDateTime(new TimeOnly(11, 0));
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var booking = await admin.PostAsJsonAsync("/api/v1/appointments", new
        {
            appointmentId = $"apt_{Guid.NewGuid():N}",
            clientId = member,
            locationId = fixture.Clinic.LocationId,
            serviceId = fixture.Clinic.NeurotoxinId,
            start = new DateTimeOffset(local, zone.GetUtcOffset(local)),
        });
        booking.EnsureSuccessStatusCode();

        var row = page.Locator("tr[data-appointment]");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row.Locator("a[href='/members/" + member + "']")).ToHaveTextAsync("Lena Live");
        Assert.True(await page.EvaluateAsync<bool>("window.__notReloaded === true"), "the row arrived without reloading the page");

        // Its balances are live too: a redemption at checkout shows on the new row.
        await admin.PostOkAsync($"/api/v1/members/{member}/checkouts", new
        {
            checkoutId = $"chk_{Guid.NewGuid():N}",
            basket = new { items = new object[] { new { serviceId = fixture.Clinic.NeurotoxinId } } },
            settlement = "card_terminal",
        });
        await Assertions.Expect(row.Locator($"[data-live-member='{member}'] [data-live-balance='units:neurotoxin']")).ToHaveTextAsync("0");
    }

    /// <summary>A Tuesday some days ahead on the practice clock, when the clinic is open and nothing is in the past.</summary>
    internal static async Task<DateOnly> BookableDateAsync(HttpClient admin)
    {
        var now = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/clock")).GetProperty("now").GetDateTimeOffset();
        var date = DateOnly.FromDateTime(now.UtcDateTime).AddDays(3);
        while (date.DayOfWeek != DayOfWeek.Tuesday)
        {
            date = date.AddDays(1);
        }

        return date;
    }
}
