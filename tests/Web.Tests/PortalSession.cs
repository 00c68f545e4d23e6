using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MedSpa.Tests;

namespace MedSpa.Web.Tests;

/// <summary>
/// A member signed in to the portal the only way there is: a link requested, mailed through smtp4dev, opened and
/// confirmed. Tests of the portal's pages start from here.
/// </summary>
internal static partial class PortalSession
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>The member's email address, from the staff API.</summary>
    public static async Task<string> EmailOfAsync(TestSilo silo, string memberId)
    {
        using var admin = silo.AdminClient();
        return (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{memberId}")).GetProperty("email").GetString()!;
    }

    /// <summary>Signs <paramref name="memberId"/> in on <paramref name="browser"/>: asks for a link, reads the mail, confirms.</summary>
    public static async Task SignInAsync(PortalBrowser browser, SmtpClinicFixture fixture, string memberId)
    {
        var email = await EmailOfAsync(fixture.Silo, memberId);
        using var anonymous = fixture.Silo.AnonymousClient();
        var seen = await MailIdsAsync(fixture.Mail, email);
        (await anonymous.PostAsJsonAsync("/api/v1/portal/sign-in-link", new { email })).EnsureSuccessStatusCode();
        var token = await NextTokenAsync(fixture.Mail, email, seen);

        var confirm = await (await browser.GetAsync($"/portal/sign-in?token={token}")).Content.ReadAsStringAsync();
        var signedIn = await browser.SubmitAsync(confirm, "/portal/sign-in");
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.True(browser.Cookies.ContainsKey("medspa.member"), "a member session");
    }

    /// <summary>
    /// Signs <paramref name="memberId"/> in on a real browser page as a member does: the sign-in form, the link from the
    /// mail in smtp4dev, the confirm button; the page ends on <c>/portal</c>.
    /// </summary>
    public static async Task SignInAsync(Microsoft.Playwright.IPage page, SmtpClinicFixture fixture, string memberId)
    {
        var email = await EmailOfAsync(fixture.Silo, memberId);
        await page.GotoAsync("/portal/sign-in");
        var seen = await MailIdsAsync(fixture.Mail, email);
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Email me a sign-in link" }).ClickAsync();
        await Microsoft.Playwright.Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Check your email");
        var token = await NextTokenAsync(fixture.Mail, email, seen);
        await page.GotoAsync($"/portal/sign-in?token={token}");
        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/portal");
    }

    /// <summary>The ids of the mails <paramref name="email"/> has had so far, to tell the next one from them.</summary>
    public static async Task<HashSet<string>> MailIdsAsync(Smtp4dev mail, string email) =>
        [.. (await mail.MessagesAsync()).Where(m => IsTo(m, email)).Select(m => m.GetProperty("id").GetString()!)];

    /// <summary>The token of the first sign-in mail to <paramref name="email"/> that is not one of <paramref name="seen"/>.</summary>
    public static async Task<string> NextTokenAsync(Smtp4dev mail, string email, IReadOnlySet<string> seen)
    {
        var arrived = await Eventually.Until(
            async () => (await mail.MessagesAsync())
                .Where(m => IsTo(m, email) && !seen.Contains(m.GetProperty("id").GetString()!)
                    && m.GetProperty("subject").GetString()!.Contains("sign-in link", StringComparison.OrdinalIgnoreCase))
                .ToList(),
            list => list.Count > 0, Patience, $"a sign-in mail to {email}");
        var text = await mail.PlainTextAsync(arrived[0].GetProperty("id").GetString()!);
        var link = MailedToken().Match(text);
        Assert.True(link.Success, $"a sign-in link in:\n{text}");
        return link.Groups["token"].Value;
    }

    private static bool IsTo(JsonElement message, string email) =>
        message.GetProperty("to").EnumerateArray().Any(t => t.GetString() == email);

    [GeneratedRegex(@"/sign-in\?token=(?<token>[A-Za-z0-9_-]{43})")]
    private static partial Regex MailedToken();
}
