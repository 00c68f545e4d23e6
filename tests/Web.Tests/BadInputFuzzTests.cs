using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using MedSpa.Tests;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MedSpa.Web.Tests;

/// <summary>
/// Every API endpoint, read from the routing, sent bad input as an administrator (who may call them all): malformed
/// JSON, wrong types, huge and negative numbers, unicode edge cases, an oversized body, the wrong content type, unknown
/// and odd ids, and nonsense query strings. None may answer 5xx, and none that refuses may have written to the member
/// log: the log's row count is checked around every refused call.
/// </summary>
public sealed partial class BadInputFuzzTests(ClinicFixture fixture) : IClassFixture<ClinicFixture>
{
    private static readonly string Oversized = $"{{\"reason\": \"{new string('x', 2 * 1024 * 1024)}\"}}";

    /// <summary>(what it is, the body, its content type).</summary>
    private static readonly (string Name, string Body, string ContentType)[] Bodies =
    [
        ("truncated JSON", "{\"planId\": ", "application/json"),
        ("not JSON", "planId=plan_premium", "application/json"),
        ("an array", "[1, 2, 3]", "application/json"),
        ("a bare string", "\"hello\"", "application/json"),
        ("null", "null", "application/json"),
        ("wrong types", """{"planId": 5, "amount": "lots", "quantity": "many", "confirm": "yes", "days": [], "agreement": 7, "basket": "x", "name": {}, "email": 12}""", "application/json"),
        ("huge numbers", """{"quantity": 9223372036854775807, "amount": {"amount": 1e300, "currency": "usd"}, "days": 2147483648, "units": 99999999999999999999, "monthlyPrice": {"amount": 9223372036854775807, "currency": "usd"}}""", "application/json"),
        ("negative numbers", """{"quantity": -5, "amount": {"amount": -100, "currency": "usd"}, "days": -1, "percent": -50, "monthlyPrice": {"amount": -1, "currency": "usd"}, "minimumTermMonths": -3}""", "application/json"),
        ("unicode edges", "{\"reason\": \"\\u0000\\ud800\", \"name\": \"\\u202e\\u0000\", \"firstName\": \"\\uFFFF\", \"email\": \"a@\\u0000.com\", \"planId\": \"plan_\\u0000\", \"timeZone\": \"\\u0000\"}", "application/json"),
        ("deep nesting", string.Concat(Enumerable.Repeat("{\"a\":", 500)) + "1" + new string('}', 500), "application/json"),
        ("oversized", Oversized, "application/json"),
        ("wrong content type", "{\"planId\": \"plan_premium\"}", "text/plain"),
    ];

    private static readonly string[] Ids = ["x_unknown", "mem_%F0%9F%92%A9", "%00", "..%2F..%2Fetc", new string('a', 2000)];

    private const string BadQuery = "?q=%00%FF&from=9999-99-99&to=yesterday&by=%F0&format=%00&location=%00&table=-1&limit=-5&page=99999999999";

    [Fact]
    public async Task Bad_input_to_every_api_endpoint_never_answers_5xx_and_a_refusal_changes_nothing()
    {
        var admin = fixture.Silo.AdminClient();
        var memberId = await fixture.Clinic.ActiveMemberAsync("Fuzz", "Target");
        await QuietAsync();

        var failures = new List<string>();
        var refused = 0;
        var endpoints = ApiEndpoints();
        Assert.True(endpoints.Count > 60, $"only {endpoints.Count} API endpoints were found");
        foreach (var endpoint in endpoints)
        {
            foreach (var id in new[] { memberId, fixture.Clinic.PremiumPlanId, fixture.Clinic.LocationId }.Concat(Ids).Distinct())
            {
                var path = Fill(endpoint.Pattern, id);
                if (endpoint.Method is "POST" or "PUT" or "PATCH")
                {
                    foreach (var (name, body, contentType) in Bodies)
                    {
                        await CallAsync(endpoint, path, name, () => new StringContent(body, Encoding.UTF8, contentType));
                    }
                }
                else
                {
                    await CallAsync(endpoint, path + BadQuery, "bad query", null);
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(refused > endpoints.Count * 5, $"only {refused} calls were refused: the bad input is not reaching the handlers");

        async Task CallAsync(Endpoint endpoint, string path, string what, Func<HttpContent>? content)
        {
            var before = await EventCountAsync();
            using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), path) { Content = content?.Invoke() };

            // A fresh connection each time: the server closes one it refused a body on (413), and a pooled connection it
            // has just closed would fail the next call with "the response ended prematurely", a client artefact.
            request.Headers.ConnectionClose = true;
            HttpResponseMessage response;
            try
            {
                response = await admin.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            }
            catch (HttpRequestException) when (what == "oversized")
            {
                // The server answered 413 and closed the connection before the client had sent the whole body.
                if (await EventCountAsync() != before)
                {
                    failures.Add($"{endpoint.Method} {path[..Math.Min(path.Length, 120)]} with {what}: cut off, but the member log changed");
                }

                return;
            }

            using var answered = response;
            var status = (int)response.StatusCode;
            if (status >= 500)
            {
                failures.Add($"{endpoint.Method} {path[..Math.Min(path.Length, 120)]} with {what}: {status} {Shorten(await response.Content.ReadAsStringAsync())}");
            }
            else if (status >= 400)
            {
                refused++;
                if (await EventCountAsync() != before)
                {
                    failures.Add($"{endpoint.Method} {path[..Math.Min(path.Length, 120)]} with {what}: refused with {status} but the member log changed");
                }
            }
        }
    }

    private static string Shorten(string text) => text.Length > 300 ? text[..300] : text;

    /// <summary>Waits for the set-up's background writes (notices being delivered) to finish, so the log only moves when a call moves it.</summary>
    private async Task QuietAsync()
    {
        var last = await EventCountAsync();
        for (var stable = 0; stable < 4;)
        {
            await Task.Delay(500);
            var now = await EventCountAsync();
            stable = now == last ? stable + 1 : 0;
            last = now;
        }
    }

    private async Task<long> EventCountAsync()
    {
        await using var command = fixture.Silo.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("SELECT count(*) FROM member_events");
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private sealed record Endpoint(string Method, string Pattern);

    private List<Endpoint> ApiEndpoints() =>
        [.. fixture.Silo.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.TrimStart('/').StartsWith("api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(method => new Endpoint(method, "/" + e.RoutePattern.RawText!.Trim('/'))))
            // Moving the clock or rebuilding the projection are meant to work with any body: they have no body to refuse.
            .Where(e => !e.Pattern.EndsWith("/reports/rebuild", StringComparison.Ordinal))
            .Distinct()
            .OrderBy(e => e.Pattern, StringComparer.Ordinal).ThenBy(e => e.Method, StringComparer.Ordinal)];

    private static string Fill(string pattern, string id) =>
        RouteParameter().Replace(pattern, match => match.Value.Contains(":int", StringComparison.Ordinal) ? "1" : id);

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();
}
