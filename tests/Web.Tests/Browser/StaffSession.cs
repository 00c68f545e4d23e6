using MedSpa.Tests;
using Microsoft.Playwright;

namespace MedSpa.Web.Tests.Browser;

/// <summary>How browser tests sign staff in: the one place to change when the sign-in changes.</summary>
public static class StaffSession
{
    /// <summary>Signs <paramref name="page"/>'s browser context in as an administrator of <paramref name="silo"/>.</summary>
    public static async Task SignInAsync(IPage page, TestSilo silo)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(silo);
        await page.GotoAsync(new Uri(silo.BaseAddress, "/login").ToString());
        await page.Locator("input[name=apiKey]").FillAsync(TestSilo.AdminKey);
        await page.Locator("button[type=submit]").ClickAsync();
        // A refused key comes back to /login?failed=true: waiting for any other page fails the test by its timeout.
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
    }
}
