using System.Collections.Concurrent;
using MedSpa.Access;
using MedSpa.Tests;
using Microsoft.Playwright;

namespace MedSpa.Web.Tests.Browser;

/// <summary>
/// The staff and portal pages in Chromium under the content security policy: every page loads with no console error
/// and no blocked script, style, image or connection, so the policy and the pages agree.
/// </summary>
public sealed class ContentSecurityPolicyPageTests(PortalClinicFixture fixture, Chromium chromium) : IClassFixture<PortalClinicFixture>, IClassFixture<Chromium>
{
    [Fact]
    public async Task The_staff_pages_load_with_no_policy_violation_or_console_error()
    {
        var memberId = await fixture.Clinic.ActiveMemberAsync("Cora", "Policy");
        var page = await chromium.OpenAsync(fixture.Silo.BaseAddress);
        var problems = await WatchAsync(page);
        await StaffSession.SignInAsync(page, fixture.Silo);

        string[] paths =
        [
            "/", "/today", "/members", $"/members/{memberId}", "/enrol", "/failed-payments", "/plans", "/plans/new",
            $"/plans/{fixture.Clinic.PremiumPlanId}", "/price-increases", "/reactivation", "/reports", "/import", "/settings",
            "/settings/staff", "/settings/api-keys", "/mailbox", "/dashboard",
        ];
        await VisitAsync(page, paths, problems);
    }

    [Fact]
    public async Task The_portal_pages_load_with_no_policy_violation_or_console_error()
    {
        var memberId = await fixture.Clinic.CardMemberAsync("Pell", "Policy");
        var page = await chromium.OpenAsync(fixture.Silo.BaseAddress, phone: true);
        var problems = await WatchAsync(page);

        await PortalSession.SignInAsync(page, fixture, memberId);

        string[] paths =
        [
            "/portal", "/portal/book", "/portal/history", $"/portal/members/{memberId}", $"/portal/members/{memberId}/card",
            $"/portal/members/{memberId}/credits", $"/portal/members/{memberId}/payments", $"/portal/members/{memberId}/pause",
            $"/portal/members/{memberId}/cancel",
        ];
        await VisitAsync(page, paths, problems);
    }

    [Fact]
    public async Task A_page_refused_to_a_role_says_who_may_open_it_and_loads_cleanly()
    {
        var page = await chromium.OpenAsync(fixture.Silo.BaseAddress);
        var problems = await WatchAsync(page);
        await StaffSession.SignInAsync(page, fixture.Silo, StaffRole.Provider);

        var response = await page.GotoAsync("/plans");

        Assert.Equal(403, response!.Status);
        await Assertions.Expect(page.Locator("p").First).ToHaveTextAsync("Only an owner or administrator can open this page.");
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to today" }).ClickAsync();
        await page.WaitForURLAsync("**/today");
        await Task.Delay(500);
        // The 403 itself is reported by the browser as a failed resource; anything else is a problem.
        Assert.DoesNotContain(problems, p => !p.Contains("403", StringComparison.Ordinal));
    }

    /// <summary>Console errors and CSP violations reported by the page, each with the URL it happened on.</summary>
    private static async Task<ConcurrentQueue<string>> WatchAsync(IPage page)
    {
        var problems = new ConcurrentQueue<string>();
        page.Console += (_, message) =>
        {
            // A failed load is reported below with its URL; the console's version of it names none.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                problems.Enqueue($"{page.Url}: console error: {message.Text}");
            }
        };
        page.PageError += (_, error) => problems.Enqueue($"{page.Url}: uncaught: {error}");
        page.Response += (_, response) =>
        {
            // The browser asks for a favicon on its own; the product has none.
            if (response.Status >= 400 && !response.Url.EndsWith("/favicon.ico", StringComparison.Ordinal))
            {
                problems.Enqueue($"{page.Url}: {response.Status} for {response.Request.Method} {response.Url}");
            }
        };
        // Injected by the browser driver, so the policy itself does not block the listener.
        await page.Context.AddInitScriptAsync("""
            document.addEventListener('securitypolicyviolation', e =>
              console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`));
            """);
        return problems;
    }

    private static async Task VisitAsync(IPage page, IEnumerable<string> paths, ConcurrentQueue<string> problems)
    {
        foreach (var path in paths)
        {
            var response = await page.GotoAsync(path);
            Assert.True(response is { Ok: true }, $"{path} answered {response?.Status}");
            // The page scripts run after load (charts, the live connection, the signature pad): let them.
            try
            {
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle, new() { Timeout = 5_000 });
            }
            catch (TimeoutException)
            {
                // The live connection may keep the network busy; the pause below is enough then.
            }

            await Task.Delay(300);
        }

        Assert.True(problems.IsEmpty, string.Join("\n", problems));
    }
}
