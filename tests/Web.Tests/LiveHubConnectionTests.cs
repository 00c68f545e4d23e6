using System.Net;
using System.Net.Http.Json;
using MedSpa.Tests;
using MedSpa.Web.Portal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MedSpa.Web.Tests;

/// <summary><c>/hubs/live</c> through the SignalR .NET client: what staff get on watching, what is pushed, and who may connect.</summary>
public sealed class LiveHubConnectionTests(ClinicFixture fixture) : IClassFixture<ClinicFixture>, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private readonly HttpClient _admin = fixture.Silo.AdminClient();

    public void Dispose() => _admin.Dispose();

    [Fact]
    public async Task Watching_a_member_answers_their_current_snapshot()
    {
        var id = await fixture.Clinic.ActiveMemberAsync("Wanda", "Watch");
        await using var live = await LiveClient.ConnectAsync(fixture.Silo.BaseAddress, TestSilo.AdminKey);

        var snapshot = await live.WatchMemberAsync(id);

        Assert.Equal(id, snapshot.GetProperty("memberId").GetString());
        Assert.Equal((await _admin.EventsAsync(id)).Count, snapshot.GetProperty("version").GetInt64());
        Assert.Equal(fixture.Clinic.LocationId, snapshot.GetProperty("homeLocationId").GetString());
        Assert.Equal("Wanda Watch", snapshot.GetProperty("displayName").GetString());
        Assert.Equal("active", snapshot.GetProperty("status").GetString());
        Assert.Equal("Premium", snapshot.GetProperty("planName").GetString());
        var facial = snapshot.GetProperty("benefits").EnumerateArray().Single(b => b.GetProperty("key").GetString() == Clinic.FacialCreditKey);
        Assert.Equal(("Facial credit", "dollar_credit", 5_000L, "usd"),
            (facial.GetProperty("label").GetString(), facial.GetProperty("kind").GetString(), facial.GetProperty("remaining").GetInt64(), facial.GetProperty("currency").GetString()));
        Assert.Equal(1, LiveClient.Remaining(snapshot, Clinic.NeurotoxinKey));
    }

    [Fact]
    public async Task Watching_an_unknown_member_or_location_is_refused_with_its_code()
    {
        await using var live = await LiveClient.ConnectAsync(fixture.Silo.BaseAddress, TestSilo.AdminKey);

        var member = await Assert.ThrowsAnyAsync<Exception>(() => live.WatchMemberAsync("mem_nobody"));
        Assert.Contains("member_not_found", member.Message, StringComparison.Ordinal);
        var location = await Assert.ThrowsAnyAsync<Exception>(() => live.WatchLocationAsync("loc_nowhere"));
        Assert.Contains("location_not_found", location.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_checkout_through_the_api_pushes_the_new_balance_to_the_members_and_the_locations_watchers()
    {
        var id = await fixture.Clinic.ActiveMemberAsync("Carla", "Checkout");
        await using var desk = await LiveClient.ConnectAsync(fixture.Silo.BaseAddress, TestSilo.AdminKey);
        await using var today = await LiveClient.ConnectAsync(fixture.Silo.BaseAddress, TestSilo.AdminKey);
        var watched = await desk.WatchMemberAsync(id);
        await today.WatchLocationAsync(fixture.Clinic.LocationId);

        await _admin.PostOkAsync($"/api/v1/members/{id}/checkouts", new
        {
            checkoutId = "chk_live",
            basket = new { items = new object[] { new { serviceId = fixture.Clinic.NeurotoxinId } } },
            settlement = "card_terminal",
        });

        var version = (await _admin.EventsAsync(id)).Count;
        foreach (var client in new[] { desk, today })
        {
            var pushed = await client.MemberChangedAsync(s => s.GetProperty("memberId").GetString() == id && s.GetProperty("version").GetInt64() == version, Patience);
            Assert.Equal(0, LiveClient.Remaining(pushed, Clinic.NeurotoxinKey));
            Assert.True(version > watched.GetProperty("version").GetInt64());
        }
    }

    [Fact]
    public async Task The_hub_refuses_anonymous_connections_and_member_portal_sessions()
    {
        var id = await fixture.Clinic.ActiveMemberAsync("Polly", "Portal");
        // A genuine member session: the portal's own cookie scheme protects the ticket, and the portal accepts it.
        var cookieOptions = fixture.Silo.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(PortalAccess.Scheme);
        var memberCookie = $"medspa.member={cookieOptions.TicketDataFormat.Protect(new AuthenticationTicket(await PortalAccess.PrincipalAsync(fixture.Silo.Grains, id), PortalAccess.Scheme))}";
        using (var portal = new HttpRequestMessage(HttpMethod.Get, "/portal"))
        {
            portal.Headers.Add("Cookie", memberCookie);
            using var anonymous = fixture.Silo.AnonymousClient();
            Assert.Equal(HttpStatusCode.OK, (await anonymous.SendAsync(portal)).StatusCode);
        }

        await Assert.ThrowsAnyAsync<Exception>(() => LiveClient.ConnectAsync(fixture.Silo.BaseAddress));
        await Assert.ThrowsAnyAsync<Exception>(() => LiveClient.ConnectAsync(fixture.Silo.BaseAddress, cookie: memberCookie));
        await Assert.ThrowsAnyAsync<Exception>(() => LiveClient.ConnectAsync(fixture.Silo.BaseAddress, apiKey: "not-a-key"));

        // Negotiation (the other way in) is closed to them too.
        using var raw = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = fixture.Silo.BaseAddress };
        foreach (var cookie in new[] { null, memberCookie })
        {
            using var negotiate = new HttpRequestMessage(HttpMethod.Post, "/hubs/live/negotiate?negotiateVersion=1");
            if (cookie is not null)
            {
                negotiate.Headers.Add("Cookie", cookie);
            }

            var refused = await raw.SendAsync(negotiate);
            Assert.False(refused.IsSuccessStatusCode, $"negotiate answered {(int)refused.StatusCode}");
            Assert.DoesNotContain("connectionToken", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Staff connect.
        await using var staff = await LiveClient.ConnectAsync(fixture.Silo.BaseAddress, TestSilo.AdminKey);
        Assert.Equal(id, (await staff.WatchMemberAsync(id)).GetProperty("memberId").GetString());
    }
}
