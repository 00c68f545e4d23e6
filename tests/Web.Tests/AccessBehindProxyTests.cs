using System.Net;
using MedSpa.Access;
using MedSpa.Tests;

namespace MedSpa.Web.Tests;

/// <summary>A silo behind a trusted load balancer (loopback here), with a small sign-in limit per client IP.</summary>
public sealed class ProxiedSiloFixture : SiloFixture
{
    public const int AttemptsPerIp = 3;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Auth:SignInAttemptsPerIp"] = AttemptsPerIp.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Web:KnownProxies:0"] = "127.0.0.1",
    };
}

public sealed class AccessBehindProxyTests(ProxiedSiloFixture fixture) : IClassFixture<ProxiedSiloFixture>
{
    [Fact]
    public async Task Sign_in_attempts_are_limited_per_client_ip_as_the_proxy_reports_it()
    {
        var login = await fixture.Silo.StaffAccountAsync(StaffRole.Provider);
        var client = ClientAt("203.0.113.7");
        for (var i = 0; i < ProxiedSiloFixture.AttemptsPerIp; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await StaffLogins.SubmitLoginAsync(client, $"someone{i}@staff.test", "wrong password")).StatusCode);
        }

        var limited = await StaffLogins.SubmitLoginAsync(client, login.Email, login.Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter is not null, "a 429 says when to come back");

        // Another client behind the same proxy is counted on its own.
        Assert.Equal(HttpStatusCode.Redirect, (await StaffLogins.SubmitLoginAsync(ClientAt("198.51.100.20"), login.Email, login.Password)).StatusCode);
    }

    [Fact]
    public async Task Successful_sign_ins_never_count_against_the_address()
    {
        // A clinic's tablets behind one address sign in all day: ten times the limit, all let in.
        var login = await fixture.Silo.StaffAccountAsync(StaffRole.FrontDesk);
        for (var i = 0; i < ProxiedSiloFixture.AttemptsPerIp * 10; i++)
        {
            var response = await StaffLogins.SubmitLoginAsync(ClientAt("203.0.113.30"), login.Email, login.Password);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"sign-in {i + 1} answered {(int)response.StatusCode}");
        }

        // Failures still do: past the limit, even the right password is refused from there.
        var client = ClientAt("203.0.113.30");
        for (var i = 0; i < ProxiedSiloFixture.AttemptsPerIp; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await StaffLogins.SubmitLoginAsync(client, login.Email + ".typo", "wrong password")).StatusCode);
        }

        var limited = await StaffLogins.SubmitLoginAsync(client, login.Email, login.Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Contains(WebUtility.HtmlEncode(Access.LoginModel.TooManyFromHere), await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_accounts_failures_lock_it_from_every_address()
    {
        var login = await fixture.Silo.StaffAccountAsync(StaffRole.Provider);
        for (var i = 0; i < Domain.Access.SignInFailures.Allowed; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await StaffLogins.SubmitLoginAsync(ClientAt($"198.51.100.{100 + i}"), login.Email, "wrong password")).StatusCode);
        }

        var locked = await StaffLogins.SubmitLoginAsync(ClientAt("198.51.100.200"), login.Email, login.Password);
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        Assert.Contains(WebUtility.HtmlEncode(Access.LoginModel.LockedOut), await locked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Https_answers_outside_development_carry_hsts()
    {
        var client = ClientAt("192.0.2.45");
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/login");
        // Not localhost, which ASP.NET Core never sends HSTS to.
        request.Headers.Host = "clinic.example";

        using var response = await client.SendAsync(request);

        Assert.True(response.Headers.TryGetValues("Strict-Transport-Security", out var hsts), "an HTTPS answer carries HSTS");
        Assert.Contains("max-age=", string.Join(",", hsts), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_proxys_https_is_the_requests_scheme()
    {
        var login = await fixture.Silo.StaffAccountAsync(StaffRole.Provider);
        var jar = new StaffLogins.CookieJar();
        var client = new HttpClient(jar) { BaseAddress = fixture.Silo.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "192.0.2.44");
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");

        var response = await StaffLogins.SubmitLoginAsync(client, login.Email, login.Password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/plans")).StatusCode);
    }

    private HttpClient ClientAt(string ip)
    {
        var client = new HttpClient(new StaffLogins.CookieJar()) { BaseAddress = fixture.Silo.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Forwarded-For", ip);
        return client;
    }
}
