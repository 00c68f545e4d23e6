using System.Net;
using MedSpa.Access;
using MedSpa.Tests;

namespace MedSpa.Web.Tests;

/// <summary>Staff sessions and forms work whichever silo a load balancer sends each request to.</summary>
public sealed class AccessAcrossSilosTests(TwoSilos silos) : IClassFixture<TwoSilos>
{
    private readonly TestSilo _first = silos.First;
    private readonly TestSilo _second = silos.Second;

    [Fact]
    public async Task A_staff_cookie_and_a_sign_in_form_from_one_silo_are_accepted_by_another()
    {
        var login = await _first.StaffAccountAsync(StaffRole.Admin);
        var jar = new StaffLogins.CookieJar();
        var onFirst = new HttpClient(jar, disposeHandler: false) { BaseAddress = _first.BaseAddress };
        var onSecond = new HttpClient(jar, disposeHandler: false) { BaseAddress = _second.BaseAddress };

        // The form (and its antiforgery token) comes from the second silo and is posted to the first.
        var form = await onSecond.GetStringAsync("/login");
        var response = await onFirst.SendAsync(LoginPost(form, login));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await onSecond.GetAsync("/api/v1/staff")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await onFirst.GetAsync("/api/v1/staff")).StatusCode);
    }

    private static HttpRequestMessage LoginPost(string form, StaffLogin login)
    {
        var token = System.Text.RegularExpressions.Regex.Match(form, @"name=""__RequestVerificationToken""[^>]*value=""(?<value>[^""]+)""");
        Assert.True(token.Success, form);
        return new HttpRequestMessage(HttpMethod.Post, "/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups["value"].Value),
                ["email"] = login.Email,
                ["password"] = login.Password,
            }),
        };
    }
}
