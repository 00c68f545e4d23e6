using System.Text.RegularExpressions;
using MedSpa.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MedSpa.Web.Tests.Browser;

/// <summary>
/// Live balances in a real browser: two screens showing the same member follow a checkout without a reload, and a
/// screen whose connection drops catches up, once it is back, with what changed while it was away.
/// </summary>
public sealed class LiveBalanceTests(ClinicFixture fixture, Chromium chromium) : IClassFixture<ClinicFixture>, IClassFixture<Chromium>, IDisposable
{
    private static readonly LocatorAssertionsToHaveTextOptions Soon = new() { Timeout = 15_000 };
    private readonly HttpClient _admin = fixture.Silo.AdminClient();

    public void Dispose() => _admin.Dispose();

    [Fact]
    public async Task Two_screens_follow_a_checkout_without_a_reload_and_a_dropped_screen_catches_up_when_back()
    {
        var id = await fixture.Clinic.ActiveMemberAsync("Bea", "Browser");
        var desk = await chromium.OpenAsync(fixture.Silo.BaseAddress);
        var provider = await chromium.OpenAsync(fixture.Silo.BaseAddress, phone: true);

        // The provider's connection runs through a route the test can cut, as a dropped network would.
        var cut = false;
        IWebSocketRoute? connection = null;
        await provider.RouteWebSocketAsync(new Regex("/hubs/live"), route =>
        {
            if (cut)
            {
                _ = route.CloseAsync(new() { Code = 1011, Reason = "network down" });
                return;
            }

            route.ConnectToServer();
            connection = route;
        });

        foreach (var page in new[] { desk, provider })
        {
            await StaffSession.SignInAsync(page, fixture.Silo);
            await page.GotoAsync($"/live/member/{id}");
            await Expect(page.Locator("h1")).ToHaveTextAsync("Bea Browser");
            await Expect(Balance(page, Clinic.NeurotoxinKey)).ToHaveTextAsync("1");
            await Expect(Balance(page, Clinic.FacialCreditKey)).ToHaveTextAsync("50.00 USD");
            await Expect(page.Locator("[data-live-status]")).ToHaveTextAsync("Active");
            await page.WaitForFunctionAsync("() => window.medspaLive && window.medspaLive.connected");
            // Gone if the page reloads.
            await page.EvaluateAsync("() => { window.notReloaded = true; }");
        }

        await _admin.PostOkAsync($"/api/v1/members/{id}/checkouts", new
        {
            checkoutId = "chk_browser",
            basket = new { items = new object[] { new { serviceId = fixture.Clinic.NeurotoxinId } } },
            settlement = "card_terminal",
        });

        foreach (var page in new[] { desk, provider })
        {
            await Expect(Balance(page, Clinic.NeurotoxinKey)).ToHaveTextAsync("0", Soon);
            await Expect(Balance(page, Clinic.NeurotoxinKey)).ToHaveClassAsync(new Regex("live-flash"));
            Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"), "the page was not reloaded");
        }

        await Screenshots.SaveAsync(desk, "live-member-card");

        cut = true;
        await connection!.CloseAsync(new() { Code = 1011, Reason = "network down" });
        await Expect(provider.Locator(".offline")).ToBeVisibleAsync();
        await _admin.PostOkAsync($"/api/v1/members/{id}/credit-adjustments",
            new { adjustmentId = "adj_browser", benefitKey = Clinic.NeurotoxinKey, quantity = 2, reason = "Goodwill" });
        await Expect(Balance(desk, Clinic.NeurotoxinKey)).ToHaveTextAsync("2", Soon);
        Assert.Equal("0", await Balance(provider, Clinic.NeurotoxinKey).TextContentAsync());
        await Screenshots.SaveAsync(provider, "live-member-card-offline");

        cut = false;
        await Expect(provider.Locator(".offline")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        await Expect(Balance(provider, Clinic.NeurotoxinKey)).ToHaveTextAsync("2", Soon);
        Assert.True(await provider.EvaluateAsync<bool>("() => window.notReloaded === true"), "the page caught up without a reload");
    }

    private static ILocator Balance(IPage page, string key) => page.Locator($"[data-live-balance='{key}']");
}
