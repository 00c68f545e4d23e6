using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MedSpa.Access;

namespace MedSpa.Tests;

/// <summary>A staff account made for a test, with the password it signs in with.</summary>
public sealed record StaffLogin(string Id, string Email, string Password, StaffRole Role);

/// <summary>Staff of every role for tests, made through the administrators' API as a practice would make them.</summary>
public static partial class StaffLogins
{
    public const string Password = "correct horse battery staple";

    private static int _accounts;

    /// <summary>A bearer client holding a fresh API key of <paramref name="role"/>.</summary>
    public static async Task<HttpClient> ClientAsync(this TestSilo silo, StaffRole role)
    {
        var key = await PostAsync(silo.AdminClient(), "/api/v1/api-keys", new { name = $"test {role}", role = Snake(role) });
        var client = silo.AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.GetProperty("secret").GetString());
        return client;
    }

    /// <summary>A fresh account of <paramref name="role"/>, limited to <paramref name="locationIds"/> when any are given.</summary>
    public static async Task<StaffLogin> StaffAccountAsync(this TestSilo silo, StaffRole role, params string[] locationIds)
    {
        var email = $"{Snake(role)}.{Interlocked.Increment(ref _accounts)}.{Guid.NewGuid():N}@staff.test";
        var account = await PostAsync(silo.AdminClient(), "/api/v1/staff", new { email, displayName = $"Test {role}", role = Snake(role), locationIds, password = Password });
        return new StaffLogin(account.GetProperty("id").GetString()!, email, Password, role);
    }

    /// <summary>The header a cookie-carrying command to the API needs (see the Web project's CookieApiGuard).</summary>
    public const string ApiRequestHeader = "X-MedSpa-Request";

    /// <summary>An HTTP client signed in as <paramref name="login"/> through the <c>/login</c> form, carrying its staff cookie.</summary>
    public static async Task<HttpClient> SignedInClientAsync(this TestSilo silo, StaffLogin login)
    {
        var client = new HttpClient(new CookieJar()) { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var response = await SubmitLoginAsync(client, login.Email, login.Password);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Signing in as {login.Email} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        // What a script of the product's own pages sends with a command; a forged cross-site form cannot.
        client.DefaultRequestHeaders.Add(ApiRequestHeader, "1");
        return client;
    }

    /// <summary>Fetches the sign-in form and posts it with its antiforgery token, <paramref name="email"/> and <paramref name="password"/>.</summary>
    public static async Task<HttpResponseMessage> SubmitLoginAsync(HttpClient client, string email, string password)
    {
        var form = await client.GetStringAsync("/login");
        var token = AntiforgeryField().Match(form);
        if (!token.Success)
        {
            throw new InvalidOperationException($"The sign-in form carries no antiforgery token:\n{form}");
        }

        return await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [token.Groups["name"].Value] = WebUtility.HtmlDecode(token.Groups["value"].Value),
            ["email"] = email,
            ["password"] = password,
        }));
    }

    /// <summary>The role as the API spells it.</summary>
    public static string Snake(StaffRole role) => role switch
    {
        StaffRole.FrontDesk => "front_desk",
        _ => role.ToString().ToLowerInvariant(),
    };

    private static async Task<JsonElement> PostAsync(HttpClient admin, string path, object body)
    {
        var response = await admin.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonDocument.Parse(text).RootElement.Clone()
            : throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text}");
    }

    [GeneratedRegex(@"name=""(?<name>__RequestVerificationToken)""[^>]*value=""(?<value>[^""]+)""|value=""(?<value>[^""]+)""[^>]*name=""(?<name>__RequestVerificationToken)""")]
    private static partial Regex AntiforgeryField();

    /// <summary>
    /// Keeps cookies by name and sends them back, Secure or not (the test silo speaks plain HTTP and is not in
    /// Development, so its session cookies are Secure), and follows no redirects, so tests see each answer.
    /// </summary>
    public sealed class CookieJar() : DelegatingHandler(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false })
    {
        private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

        public IReadOnlyList<string> LastSetCookies { get; private set; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (_cookies)
            {
                if (_cookies.Count > 0)
                {
                    request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
                }
            }

            var response = await base.SendAsync(request, cancellationToken);
            LastSetCookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? [.. values] : [];
            lock (_cookies)
            {
                foreach (var pair in LastSetCookies.Select(header => (Header: header, Pair: header.Split(';', 2)[0].Split('=', 2))))
                {
                    if (pair.Pair[1].Length == 0 || pair.Header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
                    {
                        _cookies.Remove(pair.Pair[0]);
                    }
                    else
                    {
                        _cookies[pair.Pair[0]] = pair.Pair[1];
                    }
                }
            }

            return response;
        }
    }
}
