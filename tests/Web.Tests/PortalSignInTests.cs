using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MedSpa.Tests;

namespace MedSpa.Web.Tests;

/// <summary>The test clinic mailing through smtp4dev, with per-IP limits out of the way (every test comes from 127.0.0.1).</summary>
public sealed class PortalClinicFixture : SmtpClinicFixture
{
    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = base.Settings;
            settings["Portal:SignInLinksPerIp"] = "1000";
            settings["Portal:SignInAttemptsPerIp"] = "1000";
            return settings;
        }
    }
}

/// <summary>
/// Members sign in to the portal by a link mailed over SMTP: one use, 15 minutes, the token in the mail and nowhere
/// else, a session of their own that opens no staff door, and an answer that never says who is a member.
/// </summary>
public sealed partial class PortalSignInTests(PortalClinicFixture fixture) : IClassFixture<PortalClinicFixture>, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly HttpClient _admin = fixture.Silo.AdminClient();
    private readonly HttpClient _anonymous = fixture.Silo.AnonymousClient();
    private readonly PortalBrowser _browser = new(fixture.Silo.BaseAddress);

    public void Dispose()
    {
        _browser.Dispose();
        _admin.Dispose();
        _anonymous.Dispose();
    }

    [Fact]
    public async Task A_member_follows_the_emailed_link_confirms_and_the_portal_shows_them()
    {
        var (id, email) = await MemberAsync("Sia", "Signin");

        // Any case and stray spaces: the address is what the member types on a phone.
        var accepted = await RequestLinkAsync($"  {email.ToUpperInvariant()} ");
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

        var mail = await MailToAsync(email);
        Assert.Contains("sign-in link", mail.Subject, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(SmtpClinicFixture.PracticeName, mail.Subject, StringComparison.Ordinal);
        Assert.Contains("15 minutes", mail.Text, StringComparison.Ordinal);
        Assert.StartsWith($"{SmtpClinicFixture.PortalUrl}/sign-in?token=", mail.Link, StringComparison.Ordinal);
        Assert.Contains($"href=\"{mail.Link}\"", mail.Html, StringComparison.Ordinal);

        // The link's page only offers to sign in: fetching it (a mail scanner does) opens no session and uses nothing.
        var page = await _browser.GetAsync(PortalPath(mail.Token));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.DoesNotContain(_browser.LastSetCookies, c => c.StartsWith("medspa.member=", StringComparison.Ordinal));
        Assert.True(page.Headers.CacheControl?.NoStore, "the page holding the token is never cached");
        Assert.Equal(HttpStatusCode.OK, (await _browser.GetAsync(PortalPath(mail.Token))).StatusCode);
        var confirm = await page.Content.ReadAsStringAsync();

        var signedIn = await _browser.SubmitAsync(confirm, "/portal/sign-in");
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/portal", signedIn.Headers.Location?.OriginalString);
        var cookie = Assert.Single(_browser.LastSetCookies, c => c.StartsWith("medspa.member=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("httponly", cookie, StringComparison.Ordinal);
        Assert.Contains("samesite=lax", cookie, StringComparison.Ordinal);
        // The test silo is not in Development: the session cookie is never sent over plain HTTP by a real browser.
        Assert.Contains("secure", cookie, StringComparison.Ordinal);

        var portal = await _browser.GetAsync("/portal");
        Assert.Equal(HttpStatusCode.OK, portal.StatusCode);
        var html = await portal.Content.ReadAsStringAsync();
        Assert.Contains("Sia Signin", html, StringComparison.Ordinal);
        Assert.Contains(email, html, StringComparison.Ordinal);
        Assert.Contains(id, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_send_is_recorded_on_the_member_and_the_token_is_neither_there_nor_in_the_mailbox()
    {
        var (id, email) = await MemberAsync("Tova", "Token");
        await RequestLinkAsync(email);
        var mail = await MailToAsync(email);

        var sent = await Eventually.Until(() => Notices.OfTypeAsync(_admin, id, "notice_sent"), s => s.Count > 0, Patience, "notice_sent");
        var issued = Assert.Single(await Notices.OfTypeAsync(_admin, id, "notice_issued"));
        Assert.Equal(("magic_link", email), (issued.GetProperty("kind").GetString(), issued.GetProperty("email").GetString()));
        Assert.Contains("15 minutes", issued.GetProperty("summary").GetString()!, StringComparison.Ordinal);
        var delivery = Assert.Single(sent);
        Assert.Equal((issued.GetProperty("noticeId").GetString(), email), (delivery.GetProperty("noticeId").GetString(), delivery.GetProperty("to").GetString()));
        Assert.Equal($"<{delivery.GetProperty("messageId").GetString()}>", mail.MessageIdHeader);

        var events = await _admin.GetStringAsync($"/api/v1/members/{id}/events");
        Assert.DoesNotContain(mail.Token, events, StringComparison.Ordinal);
        Assert.DoesNotContain("token=", events, StringComparison.Ordinal);
        Assert.DoesNotContain(mail.Token, await _admin.GetStringAsync("/api/v1/mailbox"), StringComparison.Ordinal);
        Assert.DoesNotContain(mail.Token, await _admin.GetStringAsync("/mailbox"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_works_once()
    {
        var (_, email) = await MemberAsync("Una", "Once");
        await RequestLinkAsync(email);
        var mail = await MailToAsync(email);
        var confirm = await (await _browser.GetAsync(PortalPath(mail.Token))).Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await _browser.SubmitAsync(confirm, "/portal/sign-in")).StatusCode);

        // The same confirmation sent twice, then another device, or the same link clicked again.
        await AssertInvalidLinkAsync(await _browser.SubmitAsync(confirm, "/portal/sign-in"));
        using var other = new PortalBrowser(fixture.Silo.BaseAddress);
        var again = await other.GetAsync(PortalPath(mail.Token));
        await AssertInvalidLinkAsync(again);
        // Posting the confirmation with the used token (a second tab, a replayed form) is refused the same way.
        var fields = await AntiforgeryOfAsync(other);
        fields["token"] = mail.Token;
        await AssertInvalidLinkAsync(await other.PostFormAsync("/portal/sign-in", fields));
        Assert.DoesNotContain(other.LastSetCookies, c => c.StartsWith("medspa.member=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_link_expires_fifteen_minutes_after_it_was_sent()
    {
        var (_, email) = await MemberAsync("Eli", "Expiry");
        await RequestLinkAsync(email);
        var mail = await MailToAsync(email);
        var confirm = await (await _browser.GetAsync(PortalPath(mail.Token))).Content.ReadAsStringAsync();

        (await _admin.PostAsJsonAsync("/api/v1/admin/clock/advance", new { by = "PT16M" })).EnsureSuccessStatusCode();

        await AssertInvalidLinkAsync(await _browser.GetAsync(PortalPath(mail.Token)));
        // A confirmation page opened in time but submitted too late is just as expired.
        await AssertInvalidLinkAsync(await _browser.SubmitAsync(confirm, "/portal/sign-in"));
        Assert.DoesNotContain(_browser.Cookies.Keys, k => k == "medspa.member");
    }

    [Fact]
    public async Task A_confirmation_without_the_antiforgery_token_is_refused_and_leaves_the_link_usable()
    {
        var (_, email) = await MemberAsync("Ari", "Forgery");
        await RequestLinkAsync(email);
        var mail = await MailToAsync(email);

        var forged = await _browser.PostFormAsync("/portal/sign-in", new Dictionary<string, string> { ["token"] = mail.Token });
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.DoesNotContain(_browser.LastSetCookies, c => c.StartsWith("medspa.member=", StringComparison.Ordinal));

        var confirm = await (await _browser.GetAsync(PortalPath(mail.Token))).Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await _browser.SubmitAsync(confirm, "/portal/sign-in")).StatusCode);
    }

    [Fact]
    public async Task An_unknown_address_gets_the_same_answer_and_no_mail_goes_out()
    {
        var (_, email) = await MemberAsync("Kim", "Known");
        var unknown = $"nobody.{Guid.NewGuid():N}@example.com";

        var forUnknown = await RequestLinkAsync(unknown);
        var forMember = await RequestLinkAsync(email);

        Assert.Equal(HttpStatusCode.Accepted, forUnknown.StatusCode);
        Assert.Equal(forMember.StatusCode, forUnknown.StatusCode);
        Assert.Equal(await forMember.Content.ReadAsStringAsync(), await forUnknown.Content.ReadAsStringAsync());
        Assert.Contains("If this address belongs to a member", await forUnknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The member's mail, asked for after, has arrived; the unknown address's would have by now.
        await MailToAsync(email);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.DoesNotContain(await fixture.Mail.MessagesAsync(), m => m.GetProperty("to").EnumerateArray().Any(t => t.GetString() == unknown));
    }

    [Fact]
    public async Task Asking_too_often_for_one_address_is_429_whether_or_not_it_is_a_members()
    {
        var (_, email) = await MemberAsync("Rae", "Limit");
        var unknown = $"nobody.{Guid.NewGuid():N}@example.com";

        foreach (var address in new[] { email, unknown })
        {
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(HttpStatusCode.Accepted, (await RequestLinkAsync(address)).StatusCode);
            }

            await ProblemAssert.IsProblem(await RequestLinkAsync(address), HttpStatusCode.TooManyRequests, "rate_limited");
        }

        // Other addresses are not held up by it.
        Assert.Equal(HttpStatusCode.Accepted, (await RequestLinkAsync($"other.{Guid.NewGuid():N}@example.com")).StatusCode);
        var mails = await Eventually.Until(
            async () => (await fixture.Mail.MessagesAsync()).Count(m => m.GetProperty("to").EnumerateArray().Any(t => t.GetString() == email)),
            n => n >= 3, Patience, $"three sign-in mails to {email}");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(3, (await fixture.Mail.MessagesAsync()).Count(m => m.GetProperty("to").EnumerateArray().Any(t => t.GetString() == email)));
        Assert.Equal(3, mails);
    }

    [Theory]
    [InlineData("{\"email\": ", "malformed_request")]
    [InlineData("not json", "malformed_request")]
    [InlineData("{\"email\": \"a@b.co\", \"password\": \"x\"}", "malformed_request")]
    [InlineData("{}", "invalid_email")]
    [InlineData("{\"email\": null}", "invalid_email")]
    [InlineData("{\"email\": \"  \"}", "invalid_email")]
    [InlineData("{\"email\": \"not-an-address\"}", "invalid_email")]
    public async Task A_request_without_a_usable_address_is_400_with_a_stable_code(string body, string code)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        await ProblemAssert.IsProblem(await _anonymous.PostAsync("/api/v1/portal/sign-in-link", content), HttpStatusCode.BadRequest, code);
    }

    [Fact]
    public async Task A_member_session_opens_no_staff_endpoint()
    {
        var (id, _) = await SignedInMemberAsync("Mo", "Member");
        var memberCookie = _browser.Cookies["medspa.member"];

        foreach (var path in new[] { $"/api/v1/members/{id}", $"/api/v1/members/{id}/events", "/api/v1/members?q=mo", "/api/v1/admin/clock", "/api/v1/mailbox" })
        {
            await ProblemAssert.IsProblem(await _browser.GetAsync(path), HttpStatusCode.Unauthorized, "unauthenticated");
        }

        foreach (var path in new[] { "/mailbox", "/dashboard", "/metrics" })
        {
            var page = await _browser.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            Assert.StartsWith("/login", page.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
        }

        // The member's ticket under the staff cookie's name is not a staff session either (another scheme's protection).
        using var disguised = new PortalBrowser(fixture.Silo.BaseAddress);
        disguised.Cookies["medspa.staff"] = memberCookie;
        await ProblemAssert.IsProblem(await disguised.GetAsync($"/api/v1/members/{id}"), HttpStatusCode.Unauthorized, "unauthenticated");

        // The session still works where it belongs.
        Assert.Equal(HttpStatusCode.OK, (await _browser.GetAsync("/portal")).StatusCode);
    }

    [Fact]
    public async Task Without_a_member_session_the_portal_sends_to_its_sign_in_form_even_for_staff()
    {
        var anonymous = await _browser.GetAsync("/portal");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Equal("/portal/sign-in", anonymous.Headers.Location?.AbsolutePath);

        var staff = await _browser.GetAsync("/portal", bearer: TestSilo.AdminKey);
        Assert.Equal(HttpStatusCode.Redirect, staff.StatusCode);
        Assert.Equal("/portal/sign-in", staff.Headers.Location?.AbsolutePath);

        var form = await _browser.GetAsync("/portal/sign-in");
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Contains("action=\"/portal/sign-in-link\"", await form.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sign_in_form_mails_a_link_too()
    {
        var (_, email) = await MemberAsync("Fay", "Form");
        var form = await (await _browser.GetAsync("/portal/sign-in")).Content.ReadAsStringAsync();

        var sent = await _browser.SubmitAsync(form, "/portal/sign-in-link", new Dictionary<string, string> { ["email"] = email });

        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Contains("Check your email", await sent.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await MailToAsync(email);
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        await SignedInMemberAsync("Otto", "Out");
        var portal = await (await _browser.GetAsync("/portal")).Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, (await _browser.PostFormAsync("/portal/sign-out", new Dictionary<string, string>())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _browser.GetAsync("/portal")).StatusCode);

        var signedOut = await _browser.SubmitAsync(portal, "/portal/sign-out");
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal("/portal/sign-in", signedOut.Headers.Location?.OriginalString);
        Assert.DoesNotContain(_browser.Cookies.Keys, k => k == "medspa.member");
        Assert.Equal(HttpStatusCode.Redirect, (await _browser.GetAsync("/portal")).StatusCode);
    }

    [Fact]
    public async Task A_copy_of_the_session_cookie_taken_before_signing_out_no_longer_works()
    {
        await SignedInMemberAsync("Cora", "Copy");
        var copied = _browser.Cookies["medspa.member"];
        var portal = await (await _browser.GetAsync("/portal")).Content.ReadAsStringAsync();
        using var thief = new PortalBrowser(fixture.Silo.BaseAddress);
        thief.Cookies["medspa.member"] = copied;
        Assert.Equal(HttpStatusCode.OK, (await thief.GetAsync("/portal")).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await _browser.SubmitAsync(portal, "/portal/sign-out")).StatusCode);

        thief.Cookies["medspa.member"] = copied;
        var replayed = await thief.GetAsync("/portal");
        Assert.Equal(HttpStatusCode.Redirect, replayed.StatusCode);
        Assert.Equal("/portal/sign-in", new Uri(fixture.Silo.BaseAddress, replayed.Headers.Location!).AbsolutePath);
    }

    private async Task<(string Id, string Email)> MemberAsync(string first, string last)
    {
        var id = await fixture.Clinic.RegisterAsync(first, last);
        var profile = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}");
        return (id, profile.GetProperty("email").GetString()!);
    }

    private async Task<(string Id, string Email)> SignedInMemberAsync(string first, string last)
    {
        var member = await MemberAsync(first, last);
        await RequestLinkAsync(member.Email);
        var mail = await MailToAsync(member.Email);
        var confirm = await (await _browser.GetAsync(PortalPath(mail.Token))).Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await _browser.SubmitAsync(confirm, "/portal/sign-in")).StatusCode);
        Assert.True(_browser.Cookies.ContainsKey("medspa.member"));
        return member;
    }

    private Task<HttpResponseMessage> RequestLinkAsync(string email) =>
        _anonymous.PostAsJsonAsync("/api/v1/portal/sign-in-link", new { email });

    private sealed record Mail(string Subject, string Text, string Html, string Link, string Token, string MessageIdHeader);

    /// <summary>The one sign-in mail smtp4dev received for <paramref name="email"/>, with its link.</summary>
    private async Task<Mail> MailToAsync(string email)
    {
        var arrived = await Eventually.Until(
            async () => (await fixture.Mail.MessagesAsync()).Where(m => m.GetProperty("to").EnumerateArray().Any(t => t.GetString() == email)).ToList(),
            list => list.Count > 0, Patience, $"the sign-in mail to {email}");
        var message = Assert.Single(arrived);
        var id = message.GetProperty("id").GetString()!;
        var text = await fixture.Mail.PlainTextAsync(id);
        var link = MailedLink().Match(text);
        Assert.True(link.Success, $"a sign-in link in:\n{text}");
        var header = (await fixture.Mail.MessageAsync(id)).GetProperty("headers").EnumerateArray()
            .Single(h => h.GetProperty("name").GetString()!.Equals("Message-Id", StringComparison.OrdinalIgnoreCase)).GetProperty("value").GetString()!;
        return new Mail(message.GetProperty("subject").GetString()!, text, await fixture.Mail.HtmlAsync(id), link.Value, link.Groups["token"].Value, header);
    }

    /// <summary>The mailed link, on this silo: <c>Web:PublicUrl</c> is the site's root, the portal served at <c>/portal</c>.</summary>
    private static string PortalPath(string token) => $"/portal/sign-in?token={token}";

    private static async Task AssertInvalidLinkAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("invalid or has expired", html, StringComparison.Ordinal);
        // The way out: ask for a new link right there.
        Assert.Contains("action=\"/portal/sign-in-link\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("action=\"/portal/sign-in\"", html, StringComparison.Ordinal);
    }

    private static async Task<Dictionary<string, string>> AntiforgeryOfAsync(PortalBrowser browser)
    {
        var html = await (await browser.GetAsync("/portal/sign-in")).Content.ReadAsStringAsync();
        return PortalBrowser.HiddenFields(html).Where(f => f.Key.StartsWith("__RequestVerificationToken", StringComparison.Ordinal)).ToDictionary();
    }

    [GeneratedRegex(@"https://\S+/sign-in\?token=(?<token>[A-Za-z0-9_-]{43})")]
    private static partial Regex MailedLink();
}

/// <summary>One address asking for many links from one IP: past the per-IP limit it is 429 for any address.</summary>
public sealed class PortalIpLimitFixture : SiloFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Portal:SignInLinksPerIp"] = "3",
    };
}

public sealed class PortalIpLimitTests(PortalIpLimitFixture fixture) : IClassFixture<PortalIpLimitFixture>
{
    [Fact]
    public async Task Past_the_per_ip_limit_link_requests_are_429_with_retry_after_for_every_address()
    {
        using var client = fixture.Silo.AnonymousClient();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/v1/portal/sign-in-link", new { email = $"ip.{i}.{Guid.NewGuid():N}@example.com" })).StatusCode);
        }

        var refused = await client.PostAsJsonAsync("/api/v1/portal/sign-in-link", new { email = $"ip.fresh.{Guid.NewGuid():N}@example.com" });

        await ProblemAssert.IsProblem(refused, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After says when to come back");
    }
}
