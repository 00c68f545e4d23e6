using System.Net;
using System.Text.RegularExpressions;

namespace MedSpa.Web.Tests;

/// <summary>
/// Just enough of a browser for the portal's server-rendered pages: keeps cookies, follows nothing by itself, and
/// submits a page's form with its hidden fields. Its cookie jar ignores <c>Secure</c> (the test silo speaks plain HTTP
/// and is not in Development, so the member cookie is marked Secure), which tests check on the raw header instead.
/// </summary>
internal sealed partial class PortalBrowser : IDisposable
{
    private readonly HttpClient _http;

    public PortalBrowser(Uri baseAddress) =>
        _http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public Dictionary<string, string> Cookies { get; } = new(StringComparer.Ordinal);

    /// <summary>The <c>Set-Cookie</c> headers of the last response, as sent.</summary>
    public IReadOnlyList<string> LastSetCookies { get; private set; } = [];

    public Task<HttpResponseMessage> GetAsync(string path, string? bearer = null) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path), bearer);

    public Task<HttpResponseMessage> PostFormAsync(string path, IDictionary<string, string> fields, string? bearer = null) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) }, bearer);

    /// <summary>Posts the form of <paramref name="html"/> whose action is <paramref name="action"/>, with its hidden fields and <paramref name="extra"/>.</summary>
    public Task<HttpResponseMessage> SubmitAsync(string html, string action, IDictionary<string, string>? extra = null)
    {
        var form = Forms().Matches(html).FirstOrDefault(f => f.Groups["action"].Value == action)
            ?? throw new InvalidOperationException($"No form posting to {action} in:\n{html}");
        var fields = HiddenFields(form.Groups["body"].Value);
        foreach (var (name, value) in extra ?? new Dictionary<string, string>())
        {
            fields[name] = value;
        }

        return PostFormAsync(action, fields);
    }

    /// <summary>
    /// Posts to a page from that page, as its forms without an <c>action</c> do: the antiforgery token of
    /// <paramref name="html"/> (the page as this browser last saw it) and <paramref name="fields"/>.
    /// </summary>
    public Task<HttpResponseMessage> PostFromAsync(string html, string path, IDictionary<string, string>? fields = null)
    {
        var form = HiddenFields(html).Where(f => f.Key.StartsWith("__RequestVerificationToken", StringComparison.Ordinal)).ToDictionary();
        foreach (var (name, value) in fields ?? new Dictionary<string, string>())
        {
            form[name] = value;
        }

        return PostFormAsync(path, form);
    }

    /// <summary>The hidden inputs of a piece of HTML, whatever order Razor writes their attributes in.</summary>
    public static Dictionary<string, string> HiddenFields(string html) => HiddenInputs().Matches(html)
        .Select(i => (Name: Attribute(i.Value, "name"), Value: Attribute(i.Value, "value")))
        .Where(i => i.Name is not null)
        // A page with several forms repeats the antiforgery field; every copy holds the same token.
        .DistinctBy(i => i.Name)
        .ToDictionary(i => WebUtility.HtmlDecode(i.Name!), i => WebUtility.HtmlDecode(i.Value ?? ""));

    public void Dispose() => _http.Dispose();

    private static string? Attribute(string tag, string name) =>
        Regex.Match(tag, "\\s" + name + "=\"(?<value>[^\"]*)\"") is { Success: true } match ? match.Groups["value"].Value : null;

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string? bearer = null)
    {
        if (Cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", Cookies.Select(c => $"{c.Key}={c.Value}")));
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        }

        var response = await _http.SendAsync(request);
        LastSetCookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? [.. values] : [];
        foreach (var header in LastSetCookies)
        {
            var pair = header.Split(';', 2)[0].Split('=', 2);
            var expired = header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase);
            if (expired || pair[1].Length == 0)
            {
                Cookies.Remove(pair[0]);
            }
            else
            {
                Cookies[pair[0]] = pair[1];
            }
        }

        return response;
    }

    [GeneratedRegex("""<form\b[^>]*\baction="(?<action>[^"]+)"[^>]*>(?<body>.*?)</form>""", RegexOptions.Singleline)]
    private static partial Regex Forms();

    [GeneratedRegex("""<input\b(?=[^>]*\btype="hidden")[^>]*>""")]
    private static partial Regex HiddenInputs();
}
