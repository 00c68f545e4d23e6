using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MedSpa.Access;
using MedSpa.Tests;
using MedSpa.Web.Portal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MedSpa.Web.Tests;

/// <summary>
/// Cross-site request forgery (issue 8): the staff pages and the portal act on a cookie, so a form posted without
/// the page's antiforgery token, or with a token of another session, is refused with 400 and changes nothing;
/// the same form with the token its own page gave is accepted.
/// </summary>
public sealed partial class CsrfTests(ClinicFixture fixture) : IClassFixture<ClinicFixture>
{
    private const string TokenField = "__RequestVerificationToken";
    private readonly HttpClient _admin = fixture.Silo.AdminClient();

    [Fact]
    public async Task Staff_member_page_forms_need_the_token_of_their_own_session()
    {
        var id = await fixture.Clinic.ActiveMemberAsync("Cara", "Forged");
        using var desk = await fixture.Silo.SignedInClientAsync(await fixture.Silo.StaffAccountAsync(StaffRole.FrontDesk));
        using var other = await fixture.Silo.SignedInClientAsync(await fixture.Silo.StaffAccountAsync(StaffRole.FrontDesk));
        var page = $"/members/{id}";
        var adjust = new Dictionary<string, string>
        {
            ["adjustmentId"] = $"adj_{Guid.NewGuid():N}",
            ["benefitKey"] = Clinic.NeurotoxinKey,
            ["change"] = "1",
            ["reason"] = "goodwill",
        };
        var pause = new Dictionary<string, string> { ["days"] = "14" };
        var before = await EventCountAsync(id);

        // No token at all, on two of the desk's handlers: refused, nothing written.
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(desk, $"{page}?handler=Adjust", adjust)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(desk, $"{page}?handler=Pause", pause)).StatusCode);
        // A token that is not one, and a real token of another signed-in session (what a forging site could hold).
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(desk, $"{page}?handler=Adjust", With(adjust, "CfDJ8forged"))).StatusCode);
        var othersToken = Token(await other.GetStringAsync(page));
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(desk, $"{page}?handler=Adjust", With(adjust, othersToken))).StatusCode);
        Assert.Equal(before, await EventCountAsync(id));
        Assert.Equal(1, await NeurotoxinAsync(id));

        // The same forms with the token of the desk's own page go through.
        var own = Token(await desk.GetStringAsync(page));
        var adjusted = await PostAsync(desk, $"{page}?handler=Adjust", With(adjust, own));
        Assert.True(adjusted.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.SeeOther, $"adjust: {(int)adjusted.StatusCode} {await adjusted.Content.ReadAsStringAsync()}");
        Assert.Equal(2, await NeurotoxinAsync(id));
        var paused = await PostAsync(desk, $"{page}?handler=Pause", With(pause, own));
        Assert.True(paused.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect, $"pause: {(int)paused.StatusCode} {await paused.Content.ReadAsStringAsync()}");
        Assert.Equal("paused", (await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}/membership")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_portal_form_needs_the_token_of_the_members_own_session()
    {
        var id = await fixture.Clinic.ActiveMemberAsync("Pia", "Forged");
        using var member = await MemberBrowserAsync(id);
        var forgerId = await fixture.Clinic.ActiveMemberAsync("Fay", "Forger");
        using var forger = await MemberBrowserAsync(forgerId);
        var path = $"/portal/members/{id}/pause";
        var form = await (await member.GetAsync(path)).Content.ReadAsStringAsync();
        var until = MinDate().Match(form);
        Assert.True(until.Success, $"a date field on the pause page:\n{form}");
        var pause = new Dictionary<string, string> { ["until"] = DateOnly.Parse(until.Groups["date"].Value, CultureInfo.InvariantCulture).AddDays(6).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };
        var before = await EventCountAsync(id);

        Assert.Equal(HttpStatusCode.BadRequest, (await member.PostFormAsync(path, pause)).StatusCode);
        var forgersToken = Token(await (await forger.GetAsync($"/portal/members/{forgerId}/pause")).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await member.PostFormAsync(path, With(pause, forgersToken))).StatusCode);
        Assert.Equal(before, await EventCountAsync(id));
        Assert.Equal("active", (await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}/membership")).GetProperty("status").GetString());

        var paused = await member.PostFromAsync(form, path, pause);
        Assert.True(paused.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, $"pause: {(int)paused.StatusCode} {await paused.Content.ReadAsStringAsync()}");
        Assert.Equal("paused", (await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}/membership")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_cookie_carrying_api_command_without_the_request_header_is_refused_and_changes_nothing()
    {
        using var staff = await fixture.Silo.SignedInClientAsync(await fixture.Silo.StaffAccountAsync(StaffRole.Admin));
        // What a form of another origin on the same site can send: the cookie, a text/plain body, no custom header.
        using var forged = await fixture.Silo.SignedInClientAsync(await fixture.Silo.StaffAccountAsync(StaffRole.Admin));
        forged.DefaultRequestHeaders.Remove(StaffLogins.ApiRequestHeader);
        var id = await fixture.Clinic.CardMemberAsync("Cody", "Forged");
        var starts = await FreeStartsAsync();
        var booked = await BookAsync(id, starts[0]);
        var other = await BookAsync(id, starts[1]);
        await _admin.PostOkAsync($"/api/v1/members/{id}/pause", new { days = 30 });
        var before = await EventCountAsync(id);
        var commands = new[]
        {
            $"/api/v1/appointments/{booked}/cancel",
            $"/api/v1/appointments/{other}/check-in",
            "/api/v1/reports/rebuild",
            $"/api/v1/members/{id}/resume",
            $"/api/v1/members/{id}/reactivation-offer",
            $"/api/v1/members/{id}/card-setup",
        };

        foreach (var path in commands)
        {
            await ProblemAssert.IsProblem(await forged.PostAsync(path, PlainText()), HttpStatusCode.Forbidden, "csrf_header_required");
        }

        Assert.Equal(before, await EventCountAsync(id));
        Assert.Equal("paused", (await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}/membership")).GetProperty("status").GetString());
        Assert.Equal(["booked", "booked"], await Task.WhenAll(new[] { booked, other }.Select(StatusAsync)));

        // The same session with the header reaches the rules; so does an API key without it.
        Assert.Equal(HttpStatusCode.OK, (await staff.PostAsync($"/api/v1/appointments/{booked}/cancel", PlainText())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _admin.PostAsync($"/api/v1/appointments/{other}/cancel", PlainText())).StatusCode);
        Assert.Equal(["cancelled", "cancelled"], await Task.WhenAll(new[] { booked, other }.Select(StatusAsync)));
        Assert.Equal(HttpStatusCode.OK, (await staff.PostAsync($"/api/v1/members/{id}/resume", PlainText())).StatusCode);
        Assert.Equal("active", (await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}/membership")).GetProperty("status").GetString());
        foreach (var path in commands)
        {
            var response = await staff.PostAsync(path, PlainText());
            Assert.NotEqual(HttpStatusCode.Forbidden, response.StatusCode);
        }
    }

    private static StringContent PlainText() => new("ignored=1", System.Text.Encoding.UTF8, "text/plain");

    private async Task<string> StatusAsync(string appointment) =>
        (await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/appointments/{appointment}")).GetProperty("status").GetString()!;

    private async Task<string> BookAsync(string client, DateTimeOffset start) =>
        (await _admin.PostOkAsync("/api/v1/appointments", new
        {
            appointmentId = $"apt_{Guid.NewGuid():N}",
            clientId = client,
            locationId = fixture.Clinic.LocationId,
            serviceId = fixture.Clinic.NeurotoxinId,
            start,
        })).GetProperty("id").GetString()!;

    private async Task<DateTimeOffset[]> FreeStartsAsync()
    {
        for (var date = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(40); ; date = date.AddDays(1))
        {
            var slots = (await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/locations/{fixture.Clinic.LocationId}/availability?serviceId={fixture.Clinic.NeurotoxinId}&date={date:yyyy-MM-dd}"))
                .GetProperty("slots").EnumerateArray().Select(s => s.GetProperty("start").GetDateTimeOffset()).ToArray();
            if (slots.Length >= 2)
            {
                return slots;
            }
        }
    }

    /// <summary>A portal browser holding a member session, sealed by the silo's own cookie handler as a sign-in would.</summary>
    private async Task<PortalBrowser> MemberBrowserAsync(string memberId)
    {
        var options = fixture.Silo.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(PortalAccess.Scheme);
        var ticket = new AuthenticationTicket(await PortalAccess.PrincipalAsync(fixture.Silo.Grains, memberId), new AuthenticationProperties { ExpiresUtc = DateTimeOffset.UtcNow.AddDays(7) }, PortalAccess.Scheme);
        var browser = new PortalBrowser(fixture.Silo.BaseAddress);
        browser.Cookies[options.Cookie.Name!] = options.TicketDataFormat.Protect(ticket);
        return browser;
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, IDictionary<string, string> fields) =>
        client.PostAsync(path, new FormUrlEncodedContent(fields));

    private static Dictionary<string, string> With(IDictionary<string, string> fields, string token) =>
        new(fields) { [TokenField] = token };

    private static string Token(string html) =>
        PortalBrowser.HiddenFields(html).TryGetValue(TokenField, out var token) ? token : throw new InvalidOperationException($"No antiforgery token in:\n{html}");

    private async Task<int> EventCountAsync(string id) =>
        (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/events"))!.Length;

    private async Task<long> NeurotoxinAsync(string id) =>
        (await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}/credits")).GetProperty("balances").EnumerateArray()
            .Single(b => b.GetProperty("benefitKey").GetString() == Clinic.NeurotoxinKey).GetProperty("balance").GetInt64();

    // The pause page's only date field is "until", whose min is tomorrow.
    [GeneratedRegex(@"\bmin=""(?<date>\d{4}-\d{2}-\d{2})""")]
    private static partial Regex MinDate();
}
