using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using MedSpa.Tests;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace MedSpa.Web.Tests;

/// <summary>
/// A member can only ever see and change their own membership. The portal's routes come from the app itself (its
/// endpoint data source, and every POST handler of the portal's page models), so a page added later is covered
/// without touching this test: member A's session on member B's URLs is 404 and B's log is untouched; without a
/// member session, staff or not, every page sends to the sign-in form.
/// </summary>
public sealed class PortalAuthorizationTests(PortalClinicFixture fixture) : IClassFixture<PortalClinicFixture>, IDisposable
{
    private readonly HttpClient _admin = fixture.Silo.AdminClient();

    public void Dispose() => _admin.Dispose();

    /// <summary>Every field any portal form posts, filled so that each handler would act if the URL were the member's own.</summary>
    private static Dictionary<string, string> Fields(string changeId) => new()
    {
        ["reason"] = "price",
        ["until"] = "2099-01-01",
        ["card"] = "pm_card_visa",
        ["signedName"] = "Someone Else",
        ["accepted"] = "true",
        ["changeId"] = changeId,
    };

    [Fact]
    public async Task A_member_gets_404_on_every_page_and_handler_of_another_member_and_nothing_changes()
    {
        var a = await fixture.Clinic.ActiveMemberAsync("Ana", "Alpha");
        var b = await fixture.Clinic.ActiveMemberAsync("Ben", "Beta");
        var changeId = $"pchg_{Guid.NewGuid():N}";
        await _admin.PostOkAsync($"/api/v1/plans/{fixture.Clinic.PremiumPlanId}/price-changes", new { newPrice = Clinic.Usd(Clinic.PremiumPrice + 1_000), noticeDays = 0, changeId });
        await Eventually.Until(() => _admin.NoticeKindsAsync(b), kinds => kinds.Contains("price_increase"), TimeSpan.FromSeconds(30), "B told of the increase");
        var bEmail = await PortalSession.EmailOfAsync(fixture.Silo, b);

        using var browser = new PortalBrowser(fixture.Silo.BaseAddress);
        await PortalSession.SignInAsync(browser, fixture, a);
        var page = await (await browser.GetAsync("/portal")).Content.ReadAsStringAsync();
        var before = await _admin.GetStringAsync($"/api/v1/members/{b}/events");

        var routes = MemberRoutes().ToList();
        Assert.Contains(routes, r => r.Contains("{id}", StringComparison.Ordinal));
        foreach (var route in routes)
        {
            if (route.Contains("{id}", StringComparison.Ordinal))
            {
                // The same page is there for A: a 404 below is about whose id it is, not a route that does not exist.
                Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(Fill(route, a, changeId))).StatusCode);

                var theirs = Fill(route, b, changeId);
                Assert.True(HttpStatusCode.NotFound == (await browser.GetAsync(theirs)).StatusCode, $"GET {theirs}");
                foreach (var handler in PostHandlers())
                {
                    var post = await browser.PostFromAsync(page, handler.Length == 0 ? theirs : $"{theirs}?handler={handler}", Fields(changeId));
                    Assert.True(HttpStatusCode.NotFound == post.StatusCode, $"POST {theirs} handler '{handler}': {(int)post.StatusCode}");
                }
            }
            else if (!route.EndsWith("sign-out", StringComparison.Ordinal))
            {
                // No id: the page is the signed-in member's own, and nothing of B's is on it.
                var own = await browser.GetAsync(route);
                Assert.True(own.StatusCode == HttpStatusCode.OK, $"GET {route}: {(int)own.StatusCode}");
                Assert.DoesNotContain(bEmail, await own.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }

        Assert.Equal(before, await _admin.GetStringAsync($"/api/v1/members/{b}/events"));
    }

    [Fact]
    public async Task Without_a_member_session_every_portal_page_and_handler_sends_to_sign_in_even_with_a_staff_key()
    {
        var member = await fixture.Clinic.ActiveMemberAsync("Nia", "Nobody");
        var before = await _admin.GetStringAsync($"/api/v1/members/{member}/events");
        using var anonymous = new PortalBrowser(fixture.Silo.BaseAddress);

        foreach (var route in MemberRoutes())
        {
            var path = Fill(route, member, "pchg_any");
            foreach (var bearer in new[] { null, TestSilo.AdminKey })
            {
                if (!route.EndsWith("sign-out", StringComparison.Ordinal))
                {
                    AssertSentToSignIn(await anonymous.GetAsync(path, bearer), $"GET {path} bearer {bearer}");
                }

                foreach (var handler in PostHandlers())
                {
                    var target = handler.Length == 0 ? path : $"{path}?handler={handler}";
                    AssertSentToSignIn(await anonymous.PostFormAsync(target, Fields("pchg_any"), bearer), $"POST {target} bearer {bearer}");
                }
            }
        }

        Assert.Equal(before, await _admin.GetStringAsync($"/api/v1/members/{member}/events"));
    }

    private static void AssertSentToSignIn(HttpResponseMessage response, string what)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{what}: {(int)response.StatusCode}");
        Assert.Equal("/portal/sign-in", response.Headers.Location?.AbsolutePath);
    }

    /// <summary>The portal's routes that need a member session, as the app maps them (pages and endpoints alike).</summary>
    private IEnumerable<string> MemberRoutes() => fixture.Silo.Services.GetRequiredService<EndpointDataSource>().Endpoints
        .OfType<RouteEndpoint>()
        .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null)
        .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
        .Where(route => route.StartsWith("/portal", StringComparison.OrdinalIgnoreCase))
        .Distinct(StringComparer.Ordinal);

    /// <summary>Every POST handler of the portal's page models ("" the unnamed one), tried on every route.</summary>
    private static IEnumerable<string> PostHandlers() => typeof(Portal.PortalAccess).Assembly.GetTypes()
        .Where(t => t.Namespace?.StartsWith("MedSpa.Web.Portal", StringComparison.Ordinal) == true && t.IsSubclassOf(typeof(PageModel)))
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
        .Where(m => m.Name.StartsWith("OnPost", StringComparison.Ordinal))
        .Select(m => m.Name["OnPost".Length..].Replace("Async", "", StringComparison.Ordinal))
        .Append("")
        .Distinct(StringComparer.OrdinalIgnoreCase);

    private static string Fill(string route, string memberId, string changeId) =>
        route.Replace("{id}", memberId, StringComparison.Ordinal).Replace("{changeId}", changeId, StringComparison.Ordinal);
}
