using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace MedSpa.Silo.Import;

/// <summary>
/// <c>MedSpa.Silo import &lt;file.csv&gt; [--confirm] [--url http://127.0.0.1:5080] [--api-key …]</c>: moves a practice's
/// members in through the running product's own API, as an administrator's API key (<c>--api-key</c>, or
/// <c>MEDSPA_API_KEY</c>), so the command checks and writes exactly what the dashboard would. Without <c>--confirm</c>
/// it is the dry run and writes nothing.
/// </summary>
public static class ImportCommand
{
    private const string DefaultUrl = "http://127.0.0.1:5080";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        string? file = null, url = Environment.GetEnvironmentVariable("MEDSPA_URL") ?? DefaultUrl, key = Environment.GetEnvironmentVariable("MEDSPA_API_KEY");
        var confirm = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--confirm":
                    confirm = true;
                    break;
                case "--url" when i + 1 < args.Length:
                    url = args[++i];
                    break;
                case "--api-key" when i + 1 < args.Length:
                    key = args[++i];
                    break;
                case var path when file is null && !path.StartsWith("--", StringComparison.Ordinal):
                    file = path;
                    break;
                default:
                    return await UsageAsync(errors, $"unexpected argument {args[i]}");
            }
        }

        if (file is null || string.IsNullOrEmpty(key))
        {
            return await UsageAsync(errors, file is null ? "which file?" : "an administrator API key is needed (--api-key or MEDSPA_API_KEY)");
        }

        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var body = new StringContent(await File.ReadAllTextAsync(file, Encoding.UTF8), Encoding.UTF8, "text/csv");
        var report = await CallAsync(http, "/api/v1/import/dry-run", body, errors);
        if (report is not { } checkedReport)
        {
            return 2;
        }

        await WriteAsync(output, checkedReport);
        if (!confirm)
        {
            await output.WriteLineAsync("Nothing was written. Run again with --confirm to import the rows marked create.");
            return 0;
        }

        var id = checkedReport.GetProperty("importId").GetString();
        var confirmed = await CallAsync(http, $"/api/v1/import/{id}/confirm", null, errors);
        if (confirmed is not { } done)
        {
            return 2;
        }

        await WriteAsync(output, done);
        return 0;
    }

    private static async Task<JsonElement?> CallAsync(HttpClient http, string path, HttpContent? content, TextWriter errors)
    {
        using var response = await http.PostAsync(new Uri(path, UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            await errors.WriteLineAsync($"{(int)response.StatusCode} {response.ReasonPhrase}: {text}");
            return null;
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The totals, then each row that needs attention: errors, and members left without a card.</summary>
    private static async Task WriteAsync(TextWriter output, JsonElement report)
    {
        int Count(string name) => report.GetProperty(name).GetInt32();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{report.GetProperty("importId").GetString()}: {Count("toCreate")} to create, {Count("created")} created, {Count("alreadyImported")} already imported, {Count("errors")} with errors"));
        foreach (var row in report.GetProperty("rows").EnumerateArray())
        {
            var notes = row.GetProperty("problems").EnumerateArray().Concat(row.GetProperty("warnings").EnumerateArray())
                .Select(p => $"{p.GetProperty("code").GetString()}: {p.GetProperty("message").GetString()}")
                .ToList();
            if (notes.Count > 0)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"  line {row.GetProperty("line").GetInt32()} {row.GetProperty("email")} {row.GetProperty("outcome").GetString()}: {string.Join("; ", notes)}"));
            }
        }
    }

    private static async Task<int> UsageAsync(TextWriter errors, string problem)
    {
        await errors.WriteLineAsync($"import: {problem}");
        await errors.WriteLineAsync("usage: import <file.csv> [--confirm] [--url http://127.0.0.1:5080] [--api-key KEY]");
        return 64;
    }
}
