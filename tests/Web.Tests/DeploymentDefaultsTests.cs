using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MedSpa.Tests;

namespace MedSpa.Web.Tests;

/// <summary>
/// Defaults safe outside a laptop. The development mailbox is something a deployment turns on, and even then a sign-in link in it is hidden unless
/// that is asked for too: whoever reads it could otherwise sign in as any member.
/// </summary>
public sealed class DeploymentDefaultsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_sign_in_link_in_the_mailbox_is_hidden_unless_the_development_setting_shows_it()
    {
        await using var silo = await TestSilo.StartAsync(null, new Dictionary<string, string?> { ["Notifications:MailboxShowsSignInLinks"] = "false" });
        var admin = silo.AdminClient();
        var (_, email) = await SignInLinkAsync(silo);

        var mail = await Eventually.Until(
            async () => (await admin.GetFromJsonAsync<JsonElement[]>("/api/v1/mailbox"))!.FirstOrDefault(m => m.GetProperty("to").GetString() == email),
            m => m.ValueKind != JsonValueKind.Undefined, Patience, $"the sign-in mail to {email}");
        foreach (var part in new[] { "text", "html" })
        {
            var body = mail.GetProperty(part).GetString()!;
            Assert.Contains("/portal/sign-in?token=(hidden)", body, StringComparison.Ordinal);
            Assert.Matches(@"token=\(hidden\)", body);
            Assert.DoesNotMatch(@"token=[A-Za-z0-9_-]{43}", body);
        }

        var page = WebUtility.HtmlDecode(await admin.GetStringAsync("/mailbox"));
        Assert.Contains(email, page, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"token=[A-Za-z0-9_-]{43}", page);
    }

    [Fact]
    public async Task Run_sh_settings_show_the_link_whole()
    {
        await using var silo = await TestSilo.StartAsync(null);
        var admin = silo.AdminClient();
        var (_, email) = await SignInLinkAsync(silo);

        var text = await Eventually.Until(
            async () => (await admin.GetFromJsonAsync<JsonElement[]>("/api/v1/mailbox"))!.FirstOrDefault(m => m.GetProperty("to").GetString() == email) is { ValueKind: JsonValueKind.Object } m
                ? m.GetProperty("text").GetString()
                : null,
            t => t is not null, Patience, $"the sign-in mail to {email}");
        Assert.Matches(@"/portal/sign-in\?token=[A-Za-z0-9_-]{43}", text);
    }

    [Fact]
    public async Task Without_smtp_or_the_development_mailbox_mail_is_kept_nowhere_and_not_recorded_as_sent()
    {
        await using var silo = await TestSilo.StartAsync(null, new Dictionary<string, string?>
        {
            ["Notifications:DevelopmentMailbox"] = "false",
            ["Notifications:MailboxShowsSignInLinks"] = "false",
        });
        var admin = silo.AdminClient();
        var (id, email) = await SignInLinkAsync(silo);

        // The sign-in mail is issued; its sender tries, fails and waits to retry.
        await Eventually.Until(() => Notices.OfTypeAsync(admin, id, "notice_issued"), n => n.Count > 0, Patience, "notice_issued");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Empty(await Notices.OfTypeAsync(admin, id, "notice_sent"));
        Assert.DoesNotContain((await admin.GetFromJsonAsync<JsonElement[]>("/api/v1/mailbox"))!, m => m.GetProperty("to").GetString() == email);
    }

    private static async Task<(string Id, string Email)> SignInLinkAsync(TestSilo silo)
    {
        var clinic = await Clinic.OpenAsync(silo);
        var id = await clinic.RegisterAsync("Lin", "Link");
        var email = (await silo.AdminClient().GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}")).GetProperty("email").GetString()!;
        (await silo.AnonymousClient().PostAsJsonAsync("/api/v1/portal/sign-in-link", new { email })).EnsureSuccessStatusCode();
        return (id, email);
    }

    [Fact]
    public async Task The_published_demo_key_is_refused_unless_the_demo_is_asked_for()
    {
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => TestSilo.StartAsync(null, new Dictionary<string, string?> { ["Auth:BootstrapApiKey"] = "medspa-dev-key" }));
        Assert.Contains("medspa-dev-key", refused.ToString(), StringComparison.Ordinal);

        await using var demo = await TestSilo.StartAsync(null, new Dictionary<string, string?> { ["Auth:BootstrapApiKey"] = "medspa-dev-key", ["Demo:Seed"] = "true" });
        using var client = demo.AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "medspa-dev-key");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/locations")).StatusCode);
    }
}
