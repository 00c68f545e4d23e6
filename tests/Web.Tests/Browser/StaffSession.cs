using MedSpa.Access;
using MedSpa.Tests;
using MedSpa.Web.Access;
using Microsoft.Playwright;

namespace MedSpa.Web.Tests.Browser;

/// <summary>
/// The one way browser tests sign staff in, so that how staff sign in can change in one place: today the API-key form
/// at <c>/login</c>.
/// </summary>
public static class StaffSession
{
    /// <summary>Signs <paramref name="page"/>'s browser in as an administrator.</summary>
    public static Task SignInAsync(IPage page, TestSilo silo) => SignInAsync(page, silo, StaffRole.Admin);

    /// <summary>Signs <paramref name="page"/>'s browser in as a member of staff in <paramref name="role"/>.</summary>
    public static async Task SignInAsync(IPage page, TestSilo silo, StaffRole role)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(silo);
        var key = TestSilo.AdminKey;
        if (role != StaffRole.Admin)
        {
            key = $"test-{role}-key".ToLowerInvariant();
            await silo.Grains.GetGrain<IApiKeyGrain>(IApiKeyGrain.Key).EnsureAsync(new ApiKeyRegistration(ApiKeyAuthentication.Hash(key), $"test {role}", role));
        }

        await page.GotoAsync("/login");
        await page.Locator("input[name=apiKey]").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
    }
}
