using System.Net;
using MedSpa.Access;
using MedSpa.Tests;

namespace MedSpa.Web.Tests;

/// <summary>Every answer, page or API, refusal or error, carries the security headers; a page a role may not open says who may.</summary>
public sealed class SecurityHeadersTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    [Fact]
    public async Task Every_page_and_api_answer_carries_the_security_headers()
    {
        var admin = await fixture.Silo.SignedInClientAsync(await fixture.Silo.StaffAccountAsync(StaffRole.Admin));
        var anonymous = fixture.Silo.AnonymousClient();
        var calls = new List<(string What, HttpClient Client, string Path, HttpStatusCode Status)>
        {
            ("home page", anonymous, "/", HttpStatusCode.OK),
            ("sign-in page", anonymous, "/login", HttpStatusCode.OK),
            ("portal sign-in page", anonymous, "/portal/sign-in", HttpStatusCode.OK),
            ("stylesheet", anonymous, "/assets/site.css", HttpStatusCode.OK),
            ("health", anonymous, "/health/live", HttpStatusCode.OK),
            ("API refusal", anonymous, "/api/v1/plans", HttpStatusCode.Unauthorized),
            ("API answer", fixture.Silo.AdminClient(), "/api/v1/plans", HttpStatusCode.OK),
            ("API not found", fixture.Silo.AdminClient(), "/api/v1/members/mem_nobody", HttpStatusCode.NotFound),
            ("staff page", admin, "/today", HttpStatusCode.OK),
            ("settings page", admin, "/settings", HttpStatusCode.OK),
            ("unknown path", admin, "/no-such-page", HttpStatusCode.NotFound),
        };

        foreach (var (what, client, path, status) in calls)
        {
            using var response = await client.GetAsync(path);
            Assert.True(status == response.StatusCode, $"{what} ({path}) answered {(int)response.StatusCode}");
            var csp = Header(response, "Content-Security-Policy");
            Assert.True(csp is not null, $"{what} ({path}) carries no content security policy");
            Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
            Assert.Equal("DENY", Header(response, "X-Frame-Options"));
            Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
            Assert.Equal("same-origin", Header(response, "Referrer-Policy"));
            // The test silo is not Development, but speaks plain HTTP: HSTS is only ever sent over HTTPS.
            Assert.Null(Header(response, "Strict-Transport-Security"));
        }
    }

    [Fact]
    public async Task A_page_the_role_may_not_open_answers_a_page_saying_who_may()
    {
        var provider = await fixture.Silo.SignedInClientAsync(await fixture.Silo.StaffAccountAsync(StaffRole.Provider));

        foreach (var path in new[] { "/plans", "/settings" })
        {
            using var page = await provider.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            var html = await page.Content.ReadAsStringAsync();
            Assert.Contains("Only an owner or administrator can open this page.", html, StringComparison.Ordinal);
            Assert.Contains("href=\"/today\"", html, StringComparison.Ordinal);
            Assert.Equal("DENY", Header(page, "X-Frame-Options"));
        }

        using var desk = await provider.GetAsync("/enrol");
        Assert.Equal(HttpStatusCode.Forbidden, desk.StatusCode);
        Assert.Contains("Only an administrator or the front desk can open this page.", await desk.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The API keeps its problem details for the same refusal.
        using var api = await provider.GetAsync("/api/v1/settings");
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"forbidden\"", await api.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : null;
}
