using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MedSpa.Access;
using MedSpa.Tests;

namespace MedSpa.Web.Tests;

/// <summary>A silo whose sign-in limit per IP is out of the way of tests that sign in many times from one address.</summary>
public sealed class StaffAccountFixture : SiloFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Auth:SignInAttemptsPerIp"] = "200" };
}

/// <summary>Staff accounts, their sign-in and sessions, and the administrators' API for accounts and keys.</summary>
public sealed partial class StaffAccountTests(StaffAccountFixture fixture) : IClassFixture<StaffAccountFixture>
{
    private static readonly string[] Nowhere = ["loc_nowhere"];

    private TestSilo Silo => fixture.Silo;

    [Fact]
    public async Task The_right_password_opens_a_session_with_a_strict_http_only_secure_cookie()
    {
        var login = await Silo.StaffAccountAsync(StaffRole.FrontDesk);
        var jar = new StaffLogins.CookieJar();
        var client = new HttpClient(jar) { BaseAddress = Silo.BaseAddress };

        var response = await StaffLogins.SubmitLoginAsync(client, login.Email.ToUpperInvariant() + " ", login.Password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = Assert.Single(jar.LastSetCookies, c => c.StartsWith("medspa.staff=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("httponly", cookie, StringComparison.Ordinal);
        Assert.Contains("samesite=strict", cookie, StringComparison.Ordinal);
        // The test silo is not in Development: the staff session never travels over plain HTTP.
        Assert.Contains("secure", cookie, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/billing/failed-payments")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/staff")).StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_email_get_the_same_page_and_no_session()
    {
        var login = await Silo.StaffAccountAsync(StaffRole.Admin);

        var (wrong, wrongCookies) = await FailedSignInAsync(login.Email, "not the password at all");
        var (unknown, unknownCookies) = await FailedSignInAsync("nobody.here@staff.test", login.Password);

        Assert.Equal(Normalise(wrong, login.Email), Normalise(unknown, "nobody.here@staff.test"));
        Assert.Contains("do not match an active staff account", wrong, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongCookies.Concat(unknownCookies), c => c.StartsWith("medspa.staff=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Five_failures_lock_the_address_even_for_the_right_password()
    {
        var login = await Silo.StaffAccountAsync(StaffRole.Provider);
        for (var i = 0; i < 5; i++)
        {
            Assert.Contains("do not match", (await FailedSignInAsync(login.Email, $"wrong password {i}")).Html, StringComparison.Ordinal);
        }

        var (locked, cookies) = await FailedSignInAsync(login.Email, login.Password);

        Assert.Contains("Too many failed sign-ins", locked, StringComparison.Ordinal);
        Assert.DoesNotContain(cookies, c => c.StartsWith("medspa.staff=", StringComparison.Ordinal));
        // An address without an account locks the same way, so a lockout gives nobody away.
        for (var i = 0; i < 5; i++)
        {
            await FailedSignInAsync("ghost@staff.test", $"guess {i}");
        }

        Assert.Equal(Normalise(locked, login.Email), Normalise((await FailedSignInAsync("ghost@staff.test", "guess")).Html, "ghost@staff.test"));

        // Fifteen minutes later (the simulated clock) the address may try again.
        await Silo.AdminClient().PostOkAsync("/api/v1/admin/clock/advance", new { by = "PT16M" });
        await Silo.SignedInClientAsync(login);
    }

    [Fact]
    public async Task A_sign_in_without_the_antiforgery_token_is_refused()
    {
        var login = await Silo.StaffAccountAsync(StaffRole.Admin);
        var jar = new StaffLogins.CookieJar();
        var client = new HttpClient(jar) { BaseAddress = Silo.BaseAddress };

        var response = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = login.Email, ["password"] = login.Password }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(jar.LastSetCookies, c => c.StartsWith("medspa.staff=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_copy_of_the_session_cookie_taken_before_signing_out_no_longer_works()
    {
        var login = await Silo.StaffAccountAsync(StaffRole.Provider);
        using var browser = new PortalBrowser(Silo.BaseAddress);
        var form = await (await browser.GetAsync("/login")).Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFromAsync(form, "/login", new Dictionary<string, string> { ["email"] = login.Email, ["password"] = login.Password })).StatusCode);
        var copied = browser.Cookies["medspa.staff"];
        using var thief = new PortalBrowser(Silo.BaseAddress);
        thief.Cookies["medspa.staff"] = copied;
        Assert.Equal(HttpStatusCode.OK, (await thief.GetAsync("/api/v1/members")).StatusCode);

        var page = await (await browser.GetAsync("/members")).Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SubmitAsync(page, "/logout")).StatusCode);

        thief.Cookies["medspa.staff"] = copied;
        Assert.Equal(HttpStatusCode.Unauthorized, (await thief.GetAsync("/api/v1/members")).StatusCode);
        thief.Cookies["medspa.staff"] = copied;
        var replayed = await thief.GetAsync("/members");
        Assert.Equal(HttpStatusCode.Redirect, replayed.StatusCode);
        Assert.StartsWith("/login", replayed.Headers.Location?.PathAndQuery ?? replayed.Headers.Location?.OriginalString, StringComparison.Ordinal);
        // Signing in again works: only the sessions opened before signing out ended.
        await Silo.SignedInClientAsync(login);
    }

    [Fact]
    public async Task Disabling_an_account_ends_its_session_and_it_cannot_sign_in()
    {
        var login = await Silo.StaffAccountAsync(StaffRole.FrontDesk);
        var session = await Silo.SignedInClientAsync(login);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/api/v1/billing/failed-payments")).StatusCode);

        var disabled = await Silo.AdminClient().PutAsJsonAsync($"/api/v1/staff/{login.Id}", new { displayName = "Gone Away", role = "front_desk", locationIds = Array.Empty<string>(), active = false });
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);

        // The session is checked against the account on each request (from a cache this node drops on the change).
        Assert.Equal(HttpStatusCode.Unauthorized, (await session.GetAsync("/api/v1/billing/failed-payments")).StatusCode);
        var (page, cookies) = await FailedSignInAsync(login.Email, login.Password);
        Assert.Contains("do not match an active staff account", page, StringComparison.Ordinal);
        Assert.DoesNotContain(cookies, c => c.StartsWith("medspa.staff=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_new_password_ends_the_old_sessions_and_a_new_role_applies_at_once()
    {
        var login = await Silo.StaffAccountAsync(StaffRole.Provider);
        var session = await Silo.SignedInClientAsync(login);
        Assert.Equal(HttpStatusCode.Forbidden, (await session.GetAsync("/api/v1/billing/failed-payments")).StatusCode);

        var promoted = await Silo.AdminClient().PutAsJsonAsync($"/api/v1/staff/{login.Id}", new { displayName = "Test Desk", role = "front_desk", locationIds = Array.Empty<string>(), active = true });
        Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/api/v1/billing/failed-payments")).StatusCode);

        var weak = await Silo.AdminClient().PostAsJsonAsync($"/api/v1/staff/{login.Id}/password", new { password = "too short" });
        await ProblemAssert.IsProblem(weak, HttpStatusCode.BadRequest, "weak_password");
        var changed = await Silo.AdminClient().PostAsJsonAsync($"/api/v1/staff/{login.Id}/password", new { password = "a brand new passphrase" });
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await session.GetAsync("/api/v1/billing/failed-payments")).StatusCode);
        Assert.Contains("do not match", (await FailedSignInAsync(login.Email, login.Password)).Html, StringComparison.Ordinal);
        await Silo.SignedInClientAsync(login with { Password = "a brand new passphrase" });
    }

    [Fact]
    public async Task The_staff_API_validates_strictly_and_never_shows_a_hash()
    {
        var admin = Silo.AdminClient();
        var email = $"strict.{Guid.NewGuid():N}@staff.test";

        await ProblemAssert.IsProblem(await admin.PostAsJsonAsync("/api/v1/staff", new { email, displayName = "Short", role = "admin", password = "short" }), HttpStatusCode.BadRequest, "weak_password");
        await ProblemAssert.IsProblem(await admin.PostAsJsonAsync("/api/v1/staff", new { email, displayName = "No Role", password = StaffLogins.Password }), HttpStatusCode.BadRequest, "invalid_role");
        await ProblemAssert.IsProblem(await admin.PostAsJsonAsync("/api/v1/staff", new { email = "not-an-email", displayName = "Bad", role = "admin", password = StaffLogins.Password }), HttpStatusCode.BadRequest, "invalid_email");
        await ProblemAssert.IsProblem(await admin.PostAsJsonAsync("/api/v1/staff", new { email, displayName = "Where", role = "admin", locationIds = Nowhere, password = StaffLogins.Password }), HttpStatusCode.BadRequest, "unknown_location");
        await ProblemAssert.IsProblem(await admin.PostAsJsonAsync("/api/v1/staff", new { email, displayName = "Extra", role = "admin", password = StaffLogins.Password, isRoot = true }), HttpStatusCode.BadRequest, "malformed_request");
        await ProblemAssert.IsProblem(await admin.PutAsJsonAsync("/api/v1/staff/stf_nobody", new { displayName = "X", role = "admin", active = true }), HttpStatusCode.NotFound, "staff_not_found");

        var created = await admin.PostAsJsonAsync("/api/v1/staff", new { email = $" {email.ToUpperInvariant()}", displayName = "  Jo   Strict ", role = "provider", password = StaffLogins.Password });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var account = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((email, "Jo Strict", "provider", true), (account.GetProperty("email").GetString(), account.GetProperty("displayName").GetString(), account.GetProperty("role").GetString(), account.GetProperty("active").GetBoolean()));
        await ProblemAssert.IsProblem(await admin.PostAsJsonAsync("/api/v1/staff", new { email, displayName = "Again", role = "admin", password = StaffLogins.Password }), HttpStatusCode.Conflict, "staff_email_taken");

        var list = await admin.GetStringAsync("/api/v1/staff");
        Assert.Contains(email, list, StringComparison.Ordinal);
        Assert.DoesNotContain("AQAAAA", list, StringComparison.Ordinal);
        Assert.DoesNotContain("hash", list, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_API_key_is_shown_once_works_for_its_role_and_stops_working_when_revoked()
    {
        var admin = Silo.AdminClient();
        var created = await admin.PostOkAsync("/api/v1/api-keys", new { name = "Booking system", role = "provider" });
        var secret = created.GetProperty("secret").GetString()!;
        var id = created.GetProperty("id").GetString()!;
        Assert.StartsWith("msk_", secret, StringComparison.Ordinal);

        var listed = await admin.GetStringAsync("/api/v1/api-keys");
        Assert.Contains(id, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(secret[4..], listed, StringComparison.Ordinal);

        var key = Silo.AnonymousClient();
        key.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", secret);
        Assert.Equal(HttpStatusCode.OK, (await key.GetAsync("/api/v1/plans")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await key.GetAsync("/api/v1/api-keys")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/api-keys/{id}")).StatusCode);

        await ProblemAssert.IsProblem(await key.GetAsync("/api/v1/plans"), HttpStatusCode.Unauthorized, "unauthenticated");
        await ProblemAssert.IsProblem(await admin.DeleteAsync($"/api/v1/api-keys/{id}"), HttpStatusCode.NotFound, "api_key_not_found");
        await ProblemAssert.IsProblem(await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "", role = "admin" }), HttpStatusCode.BadRequest, "invalid_name");
    }

    private async Task<(string Html, IReadOnlyList<string> SetCookies)> FailedSignInAsync(string email, string password)
    {
        var jar = new StaffLogins.CookieJar();
        var client = new HttpClient(jar) { BaseAddress = Silo.BaseAddress };
        var response = await StaffLogins.SubmitLoginAsync(client, email, password);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadAsStringAsync(), jar.LastSetCookies);
    }

    /// <summary>The page without what differs by nature: the address typed in, and the antiforgery token.</summary>
    private static string Normalise(string html, string email) =>
        Token().Replace(html.Replace(email, "EMAIL", StringComparison.Ordinal), "TOKEN");

    [GeneratedRegex(@"value=""CfDJ8[^""]*""")]
    private static partial Regex Token();
}
