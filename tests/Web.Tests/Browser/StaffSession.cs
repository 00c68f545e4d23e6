using MedSpa.Access;
using MedSpa.Tests;
using Microsoft.Playwright;

namespace MedSpa.Web.Tests.Browser;

/// <summary>How browser tests sign staff in: a fresh account of the role, through the <c>/login</c> page, as a person would.</summary>
public static class StaffSession
{
    /// <summary>Signs <paramref name="page"/> in as a new administrator.</summary>
    public static Task<StaffLogin> SignInAsync(IPage page, TestSilo silo) => SignInAsync(page, silo, StaffRole.Admin);

    /// <summary>Signs <paramref name="page"/> in as a new account of <paramref name="role"/>.</summary>
    public static async Task<StaffLogin> SignInAsync(IPage page, TestSilo silo, StaffRole role)
    {
        var login = await silo.StaffAccountAsync(role);
        await page.GotoAsync("/login");
        await page.GetByLabel("Email").FillAsync(login.Email);
        await page.GetByLabel("Password").FillAsync(login.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        return login;
    }
}
