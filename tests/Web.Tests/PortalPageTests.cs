using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MedSpa.Web.Tests;

/// <summary>The portal's pages over HTTP: a client who is not a member, the agreement download, and a pause within the plan's rules.</summary>
public sealed class PortalPageTests(PortalClinicFixture fixture) : IClassFixture<PortalClinicFixture>, IDisposable
{
    private readonly HttpClient _admin = fixture.Silo.AdminClient();
    private readonly PortalBrowser _browser = new(fixture.Silo.BaseAddress);

    public void Dispose()
    {
        _browser.Dispose();
        _admin.Dispose();
    }

    [Fact]
    public async Task A_client_who_is_not_a_member_sees_a_page_for_them_and_has_no_agreement_to_download()
    {
        var id = await fixture.Clinic.RegisterAsync("Nora", "Nonmember");
        await PortalSession.SignInAsync(_browser, fixture, id);

        var overview = await _browser.GetAsync("/portal");
        Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
        var html = await overview.Content.ReadAsStringAsync();
        Assert.Contains("not a member yet", html, StringComparison.Ordinal);
        Assert.Contains("No credits yet.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("agreement.pdf", html, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await _browser.GetAsync("/portal/history")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _browser.GetAsync("/portal/agreement.pdf")).StatusCode);
        // Cancelling is refused by the rules, and the page says why instead of failing.
        var cancel = await _browser.GetAsync($"/portal/members/{id}/cancel");
        Assert.Equal(HttpStatusCode.Conflict, cancel.StatusCode);
        Assert.Contains("role=\"alert\"", await cancel.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_agreement_is_the_members_own_signed_pdf()
    {
        var id = await fixture.Clinic.ActiveMemberAsync("Agnes", "Agreement");
        await PortalSession.SignInAsync(_browser, fixture, id);

        var pdf = await _browser.GetAsync("/portal/agreement.pdf");

        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"agreement-{id}.pdf", pdf.Content.Headers.ContentDisposition?.FileNameStar ?? pdf.Content.Headers.ContentDisposition?.FileName);
        var staffCopy = await _admin.GetByteArrayAsync($"/api/v1/members/{id}/agreement.pdf");
        Assert.Equal(staffCopy.Length, (await pdf.Content.ReadAsByteArrayAsync()).Length);
    }

    [Fact]
    public async Task A_pause_past_the_plans_limit_is_refused_on_the_page_and_one_within_it_pauses()
    {
        var id = await fixture.Clinic.ActiveMemberAsync("Paula", "Pause");
        await PortalSession.SignInAsync(_browser, fixture, id);
        var path = $"/portal/members/{id}/pause";
        var form = await (await _browser.GetAsync(path)).Content.ReadAsStringAsync();
        var today = DateOnly.FromDateTime((await _admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/clock")).GetProperty("now").GetDateTimeOffset().UtcDateTime);

        var tooLong = await _browser.PostFromAsync(form, path, new Dictionary<string, string> { ["until"] = today.AddDays(120).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("role=\"alert\"", await tooLong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("active", (await _admin.MembershipAsync(id)).GetProperty("status").GetString());

        var paused = await _browser.PostFromAsync(form, path, new Dictionary<string, string> { ["until"] = today.AddDays(30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        Assert.Contains("Your membership is paused", await paused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("paused", (await _admin.MembershipAsync(id)).GetProperty("status").GetString());
    }
}
