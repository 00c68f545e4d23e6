using MedSpa.Tests;
using Microsoft.Playwright;

namespace MedSpa.Web.Tests.Browser;

/// <summary>The one way browser tests sign staff in, so a change of sign-in (API key today) is made here only.</summary>
public static class StaffSession
{
    public static async Task SignInAsync(IPage page, TestSilo silo)
    {
        await page.GotoAsync("/login");
        await page.FillAsync("input[name=apiKey]", TestSilo.AdminKey);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
    }
}
