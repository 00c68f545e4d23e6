using MedSpa.Access;
using MedSpa.Tests;
using Microsoft.Playwright;

namespace MedSpa.Web.Tests.Browser;

/// <summary>Signing in at /login and the administrators' staff and API key pages, in a real browser.</summary>
public sealed class StaffAccountPagesTests(ClinicFixture fixture, Chromium chromium) : IClassFixture<ClinicFixture>, IClassFixture<Chromium>
{
    [Fact]
    public async Task An_administrator_adds_a_member_of_staff_who_then_signs_in_with_their_role()
    {
        var page = await chromium.OpenAsync(fixture.Silo.BaseAddress);
        await page.GotoAsync("/login");
        await Screenshots.SaveAsync(page, "login");
        await StaffSession.SignInAsync(page, fixture.Silo);

        await page.GotoAsync("/settings/staff");
        var email = $"desk.{Guid.NewGuid():N}@staff.test";
        var add = page.Locator("form[action*='handler=Add']");
        await add.GetByLabel("Email").FillAsync(email);
        await add.GetByLabel("Name").FillAsync("Dana Desk");
        await add.GetByLabel("Role").SelectOptionAsync(nameof(StaffRole.FrontDesk));
        await add.GetByLabel("Test Clinic").CheckAsync();
        await add.GetByLabel("First password").FillAsync("short");
        // The browser's own check stops a short password; the server says so too when it is bypassed.
        await add.GetByLabel("First password").EvaluateAsync("e => e.removeAttribute('minlength')");
        await add.GetByRole(AriaRole.Button, new() { Name = "Add" }).ClickAsync();
        Assert.Contains("at least 12 characters", await page.Locator(".error").TextContentAsync(), StringComparison.Ordinal);

        add = page.Locator("form[action*='handler=Add']");
        await add.GetByLabel("Email").FillAsync(email);
        await add.GetByLabel("Name").FillAsync("Dana Desk");
        await add.GetByLabel("Role").SelectOptionAsync(nameof(StaffRole.FrontDesk));
        await add.GetByLabel("Test Clinic").CheckAsync();
        await add.GetByLabel("First password").FillAsync(StaffLogins.Password);
        await add.GetByRole(AriaRole.Button, new() { Name = "Add" }).ClickAsync();
        var row = page.Locator("tr", new() { HasText = email });
        Assert.Contains("Front desk", await row.TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains("Test Clinic", await row.TextContentAsync(), StringComparison.Ordinal);
        await Screenshots.SaveAsync(page, "settings-staff");

        var desk = await chromium.OpenAsync(fixture.Silo.BaseAddress);
        await desk.GotoAsync("/login");
        await desk.GetByLabel("Email").FillAsync(email);
        await desk.GetByLabel("Password").FillAsync(StaffLogins.Password);
        await desk.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await desk.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        Assert.Equal("Dana Desk", await desk.Locator(".who").TextContentAsync());
        // Front desk is not an administrator: the settings pages are forbidden to them.
        var refused = await desk.GotoAsync("/settings/staff");
        Assert.Equal(403, refused!.Status);
    }

    [Fact]
    public async Task A_wrong_password_shows_a_message_on_the_page()
    {
        var page = await chromium.OpenAsync(fixture.Silo.BaseAddress);
        await page.GotoAsync("/login");
        await page.GetByLabel("Email").FillAsync("nobody@staff.test");
        await page.GetByLabel("Password").FillAsync("not a password at all");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        Assert.Contains("do not match an active staff account", await page.Locator(".error").TextContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_administrator_makes_an_api_key_sees_it_once_and_revokes_it()
    {
        var page = await chromium.OpenAsync(fixture.Silo.BaseAddress);
        await StaffSession.SignInAsync(page, fixture.Silo);
        await page.GotoAsync("/settings/api-keys");

        await page.GetByLabel("Name (who uses it)").FillAsync("Front-desk tablet");
        await page.GetByLabel("Role").SelectOptionAsync(nameof(StaffRole.Provider));
        await page.GetByRole(AriaRole.Button, new() { Name = "Make key" }).ClickAsync();
        var secret = await page.Locator("code.secret").TextContentAsync();
        Assert.StartsWith("msk_", secret, StringComparison.Ordinal);
        await Screenshots.SaveAsync(page, "settings-api-keys");

        var key = fixture.Silo.AnonymousClient();
        key.DefaultRequestHeaders.Authorization = new("Bearer", secret);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await key.GetAsync("/api/v1/plans")).StatusCode);

        await page.GotoAsync("/settings/api-keys");
        Assert.Equal(0, await page.Locator("code.secret").CountAsync());
        await page.Locator("tr", new() { HasText = "Front-desk tablet" }).GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        Assert.Equal("The key is revoked.", await page.Locator("p.notice").TextContentAsync());
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await key.GetAsync("/api/v1/plans")).StatusCode);
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        var page = await chromium.OpenAsync(fixture.Silo.BaseAddress);
        await StaffSession.SignInAsync(page, fixture.Silo, StaffRole.Provider);
        await page.GotoAsync("/");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/login", StringComparison.Ordinal));

        await page.GotoAsync("/mailbox");
        Assert.Contains("/login", page.Url, StringComparison.Ordinal);
    }
}
