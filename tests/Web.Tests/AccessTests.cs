using System.Net;
using System.Net.Http.Headers;
using MedSpa.Access;
using MedSpa.Tests;

namespace MedSpa.Web.Tests;

public sealed class AccessTests(SiloFixture fixture) : IClassFixture<SiloFixture>
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
    public async Task A_staff_session_opened_at_the_sign_in_page_reaches_operator_pages_and_the_API()
    {
        var client = await fixture.Silo.SignedInClientAsync(await fixture.Silo.StaffAccountAsync(StaffRole.Admin));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/admin/clock")).StatusCode);
    }
}
