using System.Globalization;
using MedSpa.Tests;
using Microsoft.Playwright;

namespace MedSpa.Web.Tests.Browser;

/// <summary>The failed-payments board in a browser; on a silo of its own, because it moves the clock a month.</summary>
public sealed class FailedPaymentsPageTests(ClinicFixture fixture, Chromium chromium) : IClassFixture<ClinicFixture>, IClassFixture<Chromium>
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private readonly HttpClient _admin = fixture.Silo.AdminClient();

    [Fact]
    public async Task A_declined_renewal_is_on_the_board_with_its_attempts_and_next_retry_and_links_to_the_member_and_their_card()
    {
        var id = await fixture.Clinic.ActiveMemberAsync("Fay", "Declined");
        // Attaches fine, declines every charge: the renewal is the first charge it sees.
        await _admin.PostOkAsync($"/api/v1/members/{id}/payment-method", new { paymentMethodId = "pm_card_chargeCustomerFail" });
        var renewal = DateOnly.Parse((await _admin.MembershipAsync(id)).GetProperty("nextBillingDate").GetString()!, CultureInfo.InvariantCulture);
        var evening = new DateTimeOffset(renewal.ToDateTime(new TimeOnly(20, 0)), NewYork.GetUtcOffset(renewal.ToDateTime(new TimeOnly(20, 0))));
        await _admin.AdvanceClockToAsync(evening);

        var page = await chromium.OpenAsync(fixture.Silo.BaseAddress);
        await StaffSession.SignInAsync(page, fixture.Silo);
        await page.GotoAsync("/failed-payments");

        var line = page.Locator($"tr[data-member=\"{id}\"]");
        await Assertions.Expect(line).ToContainTextAsync("Fay Declined");
        await Assertions.Expect(line).ToContainTextAsync("199.00 USD");
        await Assertions.Expect(line).ToContainTextAsync("retry");
        await Assertions.Expect(line.Locator(".status.past_due")).ToHaveTextAsync("Past due");
        Assert.Equal($"/members/{id}", await line.GetByRole(AriaRole.Link, new() { Name = "Fay Declined" }).GetAttributeAsync("href"));
        Assert.Equal($"/members/{id}#card", await line.GetByRole(AriaRole.Link, new() { Name = "Update card" }).GetAttributeAsync("href"));
        await Screenshots.SaveAsync(page, "failed-payments");

        // A working card from the member page pays the period and takes the member off the board.
        await line.GetByRole(AriaRole.Link, new() { Name = "Update card" }).ClickAsync();
        await page.Locator("#card select[name=paymentMethodId]").SelectOptionAsync("pm_card_visa");
        await page.Locator("#card button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-done]")).ToContainTextAsync("4242");
        await Assertions.Expect(page.Locator("[data-live-status]")).ToHaveTextAsync("Active");
        await page.GotoAsync("/failed-payments");
        Assert.Equal(0, await page.Locator($"tr[data-member=\"{id}\"]").CountAsync());
    }
}
