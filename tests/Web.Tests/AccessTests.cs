using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using MedSpa.Tests;

namespace MedSpa.Web.Tests;

public sealed partial class AccessTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    [Fact]
    public async Task An_API_call_without_credentials_gets_401_problem_details()
    {
        var response = await fixture.Silo.AnonymousClient().GetAsync("/api/v1/admin/clock");

        await ProblemAssert.IsProblem(response, HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Theory]
    [InlineData("not-the-key")]
    [InlineData("test-admin-key-but-longer")]
    public async Task An_unknown_API_key_gets_401(string key)
    {
        var client = fixture.Silo.AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        await ProblemAssert.IsProblem(await client.GetAsync("/api/v1/admin/clock"), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task The_bootstrap_key_is_an_administrator()
    {
        var response = await fixture.Silo.AdminClient().GetAsync("/api/v1/admin/clock");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/dashboard")]
    [InlineData("/metrics")]
    public async Task Operator_pages_need_an_administrator(string path)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.Silo.BaseAddress };

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Silo.AdminClient().GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task Staff_sign_in_with_a_key_opens_a_session_for_the_dashboard()
    {
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = fixture.Silo.BaseAddress };

        var refused = await SignInAsync(client, "wrong key");
        Assert.Contains("That key is not valid", refused);

        await SignInAsync(client, TestSilo.AdminKey);
        var dashboard = await client.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/admin/clock")).StatusCode);
    }

    [Fact]
    public async Task A_sign_in_without_the_antiforgery_token_is_refused()
    {
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = fixture.Silo.BaseAddress };

        var response = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["apiKey"] = TestSilo.AdminKey }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(response.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("medspa.staff", StringComparison.Ordinal)));
    }

    private static async Task<string> SignInAsync(HttpClient client, string key)
    {
        var form = await client.GetStringAsync("/login?returnUrl=/dashboard");
        var token = AntiforgeryField().Match(form);
        Assert.True(token.Success, "the sign-in form carries an antiforgery token");
        var response = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [token.Groups["name"].Value] = WebUtility.HtmlDecode(token.Groups["value"].Value),
            ["apiKey"] = key,
            ["returnUrl"] = "/dashboard",
        }));
        return await response.Content.ReadAsStringAsync();
    }

    [GeneratedRegex("name=\"(?<name>__RequestVerificationToken[^\"]*)\" value=\"(?<value>[^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
