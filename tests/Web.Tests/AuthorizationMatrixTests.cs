using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using MedSpa.Access;
using MedSpa.Tests;
using MedSpa.Web.Portal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MedSpa.Web.Tests;

/// <summary>
/// Every endpoint the app maps, read from its routing, against every kind of caller. The table below is the whole
/// of who may call what: an endpoint missing from it fails the test, so a new one cannot ship unclassified.
/// </summary>
public sealed partial class AuthorizationMatrixTests(ClinicFixture fixture) : IClassFixture<ClinicFixture>
{
    public enum Access
    {
        Anonymous,
        MemberPortal,
        AnyStaff,
        Desk,
        Admin,
    }

    public enum Caller
    {
        Nobody,
        Member,
        Provider,
        FrontDesk,
        Admin,
    }

    /// <summary>
    /// "METHOD route pattern" → who may call it. Pages are GET. A key ending in <c>/**</c> covers everything under
    /// it, for a third party's set of routes (the Orleans dashboard's) that changes with its version.
    /// </summary>
    private static readonly Dictionary<string, Access> Table = new(StringComparer.Ordinal)
    {
        // Public: the home page, sign-in, health, the API description, Stripe's webhooks, the portal's sign-in.
        ["GET /"] = Access.Anonymous,
        ["GET /login"] = Access.Anonymous,
        ["POST /logout"] = Access.Anonymous,
        ["GET /health/ready"] = Access.Anonymous,
        ["GET /health/live"] = Access.Anonymous,
        ["GET /openapi/{documentName}.json"] = Access.Anonymous,
        ["POST /webhooks/stripe"] = Access.Anonymous,
        ["POST /api/v1/portal/sign-in-link"] = Access.Anonymous,
        ["GET /portal/sign-in"] = Access.Anonymous,

        // The member portal: a member's own session, and nothing else.
        ["GET /portal"] = Access.MemberPortal,
        ["POST /portal/sign-out"] = Access.MemberPortal,
        ["GET /portal/sign-in-link"] = Access.Anonymous,
        ["GET /portal/book"] = Access.MemberPortal,
        ["GET /portal/history"] = Access.MemberPortal,
        ["GET /portal/agreement.pdf"] = Access.MemberPortal,
        ["GET /portal/members/{id}"] = Access.MemberPortal,
        ["GET /portal/members/{id}/card"] = Access.MemberPortal,
        ["GET /portal/members/{id}/credits"] = Access.MemberPortal,
        ["GET /portal/members/{id}/payments"] = Access.MemberPortal,
        ["GET /portal/members/{id}/pause"] = Access.MemberPortal,
        ["GET /portal/members/{id}/cancel"] = Access.MemberPortal,
        ["GET /portal/members/{id}/reactivate"] = Access.MemberPortal,
        ["GET /portal/members/{id}/price-changes/{changeId}"] = Access.MemberPortal,

        // Any staff: reading members, plans, the practice and the clock's pages; redeeming and checkout.
        ["GET /today"] = Access.AnyStaff,
        ["GET /members"] = Access.AnyStaff,
        ["GET /members/{id}"] = Access.AnyStaff,
        ["GET /live/member/{id}"] = Access.AnyStaff,
        ["GET /hubs/live"] = Access.AnyStaff,
        ["GET /hubs/live/negotiate"] = Access.AnyStaff,
        ["GET /api/v1/members/{id}/agreement-preview"] = Access.AnyStaff,
        ["GET /api/v1/members/{id}/appointments"] = Access.AnyStaff,
        ["GET /api/v1/locations/{id}/schedule"] = Access.AnyStaff,
        ["GET /api/v1/locations/{id}/availability"] = Access.AnyStaff,
        ["GET /api/v1/appointments/{id}"] = Access.AnyStaff,
        ["GET /api/v1/locations"] = Access.AnyStaff,
        ["GET /api/v1/services"] = Access.AnyStaff,
        ["GET /api/v1/plans"] = Access.AnyStaff,
        ["GET /api/v1/plans/{id}"] = Access.AnyStaff,
        ["GET /api/v1/plans/{id}/price-changes"] = Access.AnyStaff,
        ["GET /api/v1/plans/{id}/price-changes/{changeId}/unconfirmed"] = Access.AnyStaff,
        ["GET /api/v1/members"] = Access.AnyStaff,
        ["GET /api/v1/members/{id}"] = Access.AnyStaff,
        ["GET /api/v1/members/{id}/membership"] = Access.AnyStaff,
        ["GET /api/v1/members/{id}/charge-attempts"] = Access.AnyStaff,
        ["GET /api/v1/members/{id}/agreement"] = Access.AnyStaff,
        ["GET /api/v1/members/{id}/agreement.pdf"] = Access.AnyStaff,
        ["GET /api/v1/members/{id}/credits"] = Access.AnyStaff,
        ["GET /api/v1/members/{id}/ledger"] = Access.AnyStaff,
        ["GET /api/v1/members/{id}/payments"] = Access.AnyStaff,
        ["GET /api/v1/members/{id}/events"] = Access.AnyStaff,
        ["GET /api/v1/members/{id}/disputes"] = Access.AnyStaff,
        ["GET /api/v1/members/{id}/price-changes/{changeId}"] = Access.AnyStaff,
        ["POST /api/v1/members/{id}/checkout-preview"] = Access.AnyStaff,
        ["POST /api/v1/members/{id}/checkouts"] = Access.AnyStaff,
        ["POST /api/v1/members/{id}/redemptions"] = Access.AnyStaff,

        // The front desk: clients, enrolment, cards and money, credit corrections, the membership's lifecycle.
        ["POST /api/v1/members"] = Access.Desk,
        ["POST /api/v1/members/{id}/enrolment"] = Access.Desk,
        ["POST /api/v1/members/{id}/payment-method"] = Access.Desk,
        ["POST /api/v1/members/{id}/card-setup"] = Access.Desk,
        ["POST /api/v1/members/{id}/refunds"] = Access.Desk,
        ["POST /api/v1/members/{id}/desk-payments"] = Access.Desk,
        ["POST /api/v1/members/{id}/redemptions/{redemptionId}/void"] = Access.Desk,
        ["POST /api/v1/members/{id}/credit-adjustments"] = Access.Desk,
        ["POST /api/v1/members/{id}/add-ons"] = Access.Desk,
        ["POST /api/v1/members/{id}/plan-change"] = Access.Desk,
        ["POST /api/v1/members/{id}/price-changes/{changeId}/confirmation"] = Access.Desk,
        ["POST /api/v1/members/{id}/cancellation"] = Access.Desk,
        ["DELETE /api/v1/members/{id}/cancellation"] = Access.Desk,
        ["POST /api/v1/members/{id}/pause"] = Access.Desk,
        ["POST /api/v1/members/{id}/resume"] = Access.Desk,
        ["POST /api/v1/members/{id}/reactivation-offer"] = Access.Desk,
        ["POST /api/v1/members/{id}/reactivation"] = Access.Desk,
        ["GET /api/v1/billing/failed-payments"] = Access.Desk,
        ["GET /failed-payments"] = Access.Desk,
        ["GET /enrol"] = Access.Desk,
        ["POST /api/v1/appointments"] = Access.Desk,
        ["POST /api/v1/appointments/{id}/move"] = Access.Desk,
        ["POST /api/v1/appointments/{id}/cancel"] = Access.Desk,
        ["POST /api/v1/appointments/{id}/check-in"] = Access.Desk,
        ["POST /api/v1/locations/{id}/walk-ins"] = Access.Desk,
        ["PUT /api/v1/external-appointments/{system}/{externalId}"] = Access.Desk,
        ["DELETE /api/v1/external-appointments/{system}/{externalId}"] = Access.Desk,

        // Administrators: the practice's set-up, prices, the clock, disputes, staff and keys, operations.
        // The development mailbox holds every member's mail (and, where shown, their sign-in links).
        ["GET /mailbox"] = Access.Admin,
        ["GET /api/v1/mailbox"] = Access.Admin,
        ["POST /api/v1/locations"] = Access.Admin,
        ["POST /api/v1/services"] = Access.Admin,
        ["POST /api/v1/plans"] = Access.Admin,
        ["PUT /api/v1/plans/{id}"] = Access.Admin,
        ["POST /api/v1/plans/{id}/price-changes"] = Access.Admin,
        ["GET /api/v1/admin/clock"] = Access.Admin,
        ["POST /api/v1/admin/clock/advance"] = Access.Admin,
        ["GET /api/v1/disputes"] = Access.Admin,
        ["GET /api/v1/staff"] = Access.Admin,
        ["POST /api/v1/staff"] = Access.Admin,
        ["PUT /api/v1/staff/{id}"] = Access.Admin,
        ["POST /api/v1/staff/{id}/password"] = Access.Admin,
        ["GET /api/v1/api-keys"] = Access.Admin,
        ["POST /api/v1/api-keys"] = Access.Admin,
        ["DELETE /api/v1/api-keys/{id}"] = Access.Admin,
        ["GET /settings/staff"] = Access.Admin,
        ["GET /settings"] = Access.Admin,
        ["GET /api/v1/settings"] = Access.Admin,
        ["PUT /api/v1/settings"] = Access.Admin,
        ["PUT /api/v1/locations/{id}/hours"] = Access.Admin,
        ["GET /plans"] = Access.Admin,
        ["GET /plans/new"] = Access.Admin,
        ["GET /plans/{id}"] = Access.Admin,
        ["GET /price-increases"] = Access.Admin,
        ["GET /reactivation"] = Access.Admin,
        ["GET /reports"] = Access.Admin,
        ["GET /api/v1/reports/mrr"] = Access.Admin,
        ["GET /api/v1/reports/active-members"] = Access.Admin,
        ["GET /api/v1/reports/churn"] = Access.Admin,
        ["GET /api/v1/reports/credit-utilisation"] = Access.Admin,
        ["GET /api/v1/reports/revenue-per-client"] = Access.Admin,
        ["GET /api/v1/reports/tier-migration"] = Access.Admin,
        ["GET /api/v1/reports/liability"] = Access.Admin,
        ["GET /api/v1/reports/at-risk"] = Access.Admin,
        ["POST /api/v1/reports/rebuild"] = Access.Admin,
        ["GET /api/v1/exports/members.csv"] = Access.Admin,
        ["GET /api/v1/exports/memberships.csv"] = Access.Admin,
        ["GET /api/v1/exports/ledger.csv"] = Access.Admin,
        ["GET /clock"] = Access.Admin,
        ["GET /import"] = Access.Admin,
        ["GET /api/v1/import/template"] = Access.Admin,
        ["POST /api/v1/import/dry-run"] = Access.Admin,
        ["GET /api/v1/import/{id}"] = Access.Admin,
        ["POST /api/v1/import/{id}/confirm"] = Access.Admin,
        ["GET /settings/api-keys"] = Access.Admin,
        ["GET /metrics"] = Access.Admin,
        ["GET /dashboard"] = Access.Admin,
        ["GET /dashboard/**"] = Access.Admin,
    };

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();

    [Fact]
    public async Task Every_endpoint_is_classified_and_refuses_everyone_its_class_does_not_allow()
    {
        var endpoints = Endpoints();
        var unclassified = endpoints.Where(e => Classify(e) is null).Select(e => e.Key).ToList();
        Assert.True(unclassified.Count == 0, $"Classify these endpoints in {nameof(AuthorizationMatrixTests)}.{nameof(Table)}:\n{string.Join("\n", unclassified)}");
        var gone = Table.Keys.Where(key => !endpoints.Any(e => e.Key == key || Covers(key, e))).ToList();
        Assert.True(gone.Count == 0, $"The table names endpoints that do not exist:\n{string.Join("\n", gone)}");

        var callers = await CallersAsync();
        var wrong = new ConcurrentBag<string>();
        // Signing out ends the caller's session, so it goes last.
        foreach (var batch in endpoints.GroupBy(e => e.Key == "POST /logout").OrderBy(g => g.Key))
        {
            await Parallel.ForEachAsync(
                batch.SelectMany(e => Enum.GetValues<Caller>().Select(caller => (Endpoint: e, Caller: caller))),
                new ParallelOptions { MaxDegreeOfParallelism = 8 },
                async (call, cancellationToken) =>
                {
                    var (endpoint, caller) = call;
                    var allowed = Allows(Classify(endpoint)!.Value, caller);
                    using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), Fill(endpoint.Pattern));
                    if (endpoint.Method is "POST" or "PUT")
                    {
                        // The API takes JSON; pages and their endpoints take forms.
                        request.Content = endpoint.IsApi
                            ? new StringContent("{}", Encoding.UTF8, "application/json")
                            : new FormUrlEncodedContent([]);
                    }

                    // Headers are the answer; some bodies never end (the dashboard's live trace).
                    using var response = await callers[(caller, endpoint.IsApi)].SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                    if (IsRefusal(response) == allowed)
                    {
                        wrong.Add($"{endpoint.Key} as {caller}: {(int)response.StatusCode} {response.Headers.Location}, expected {(allowed ? "allowed" : "refused")}");
                    }
                });
        }

        Assert.True(wrong.IsEmpty, string.Join("\n", wrong.Order()));
    }

    private static Access? Classify(EndpointCall endpoint) =>
        Table.TryGetValue(endpoint.Key, out var access) ? access
        : Table.Where(e => Covers(e.Key, endpoint)).Select(e => (Access?)e.Value).FirstOrDefault();

    private static bool Covers(string key, EndpointCall endpoint) =>
        key.EndsWith("/**", StringComparison.Ordinal) && endpoint.Key.StartsWith(key[..^2], StringComparison.Ordinal);

    private static bool Allows(Access access, Caller caller) => access switch
    {
        Access.Anonymous => true,
        Access.MemberPortal => caller == Caller.Member,
        Access.AnyStaff => caller is Caller.Provider or Caller.FrontDesk or Caller.Admin,
        Access.Desk => caller is Caller.FrontDesk or Caller.Admin,
        _ => caller == Caller.Admin,
    };

    /// <summary>401 or 403, or a page's redirect to a sign-in page (staff or member).</summary>
    private static bool IsRefusal(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
        || (response.StatusCode == HttpStatusCode.Redirect
            && response.Headers.Location?.OriginalString is { } location
            && (location.Contains("/login", StringComparison.Ordinal) || location.Contains("/portal/sign-in", StringComparison.Ordinal)));

    private sealed record EndpointCall(string Method, string Pattern, bool IsApi)
    {
        public string Key => $"{Method} {Pattern}";
    }

    private List<EndpointCall> Endpoints() =>
        [.. fixture.Silo.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(method => new EndpointCall(method, Pattern(e), e.RoutePattern.RawText?.TrimStart('/').StartsWith("api/", StringComparison.Ordinal) == true)))
            .Distinct()];

    private static string Pattern(RouteEndpoint endpoint) => "/" + (endpoint.RoutePattern.RawText ?? "").Trim('/');

    /// <summary>Route values that reach the handlers: the clinic's member and plan, unknown ids for the rest.</summary>
    private string Fill(string pattern)
    {
        var id = pattern.StartsWith("/api/v1/members/", StringComparison.Ordinal) ? _memberId
            : pattern.StartsWith("/api/v1/plans/", StringComparison.Ordinal) ? fixture.Clinic.PremiumPlanId
            : "x_unknown";
        var filled = pattern.Replace("{id}", id, StringComparison.Ordinal)
            .Replace("{documentName}", "v1", StringComparison.Ordinal)
            .Replace("{changeId}", "pc_unknown", StringComparison.Ordinal)
            .Replace("{redemptionId}", "red_unknown", StringComparison.Ordinal);
        return RouteParameter().Replace(filled, match => match.Value.Contains(":int", StringComparison.Ordinal) ? "1" : "x");
    }

    private string _memberId = "";

    /// <summary>Each caller twice: with an API key for the API, and with a browser session for pages.</summary>
    private async Task<Dictionary<(Caller, bool Api), HttpClient>> CallersAsync()
    {
        var silo = fixture.Silo;
        _memberId = await fixture.Clinic.RegisterAsync("Matrix", "Member");
        var callers = new Dictionary<(Caller, bool), HttpClient>
        {
            [(Caller.Nobody, true)] = Unfollowing(silo),
            [(Caller.Nobody, false)] = Unfollowing(silo),
            [(Caller.Member, true)] = await MemberSessionAsync(silo, _memberId),
            [(Caller.Member, false)] = await MemberSessionAsync(silo, _memberId),
        };
        foreach (var (caller, role) in new[] { (Caller.Provider, StaffRole.Provider), (Caller.FrontDesk, StaffRole.FrontDesk), (Caller.Admin, StaffRole.Admin) })
        {
            var api = Unfollowing(silo);
            api.DefaultRequestHeaders.Authorization = (await silo.ClientAsync(role)).DefaultRequestHeaders.Authorization;
            callers[(caller, true)] = api;
            callers[(caller, false)] = await silo.SignedInClientAsync(await silo.StaffAccountAsync(role));
        }

        return callers;
    }

    private static HttpClient Unfollowing(TestSilo silo) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A member portal session, sealed by the silo's own cookie handler as a signed-in member's would be.</summary>
    private static async Task<HttpClient> MemberSessionAsync(TestSilo silo, string memberId)
    {
        var options = silo.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(PortalAccess.Scheme);
        var ticket = new AuthenticationTicket(await PortalAccess.PrincipalAsync(silo.Grains, memberId), new AuthenticationProperties { ExpiresUtc = DateTimeOffset.UtcNow.AddDays(7) }, PortalAccess.Scheme);
        var client = Unfollowing(silo);
        client.DefaultRequestHeaders.Add("Cookie", $"{options.Cookie.Name}={options.TicketDataFormat.Protect(ticket)}");
        return client;
    }
}
