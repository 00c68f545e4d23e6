using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using MedSpa.Tests;

namespace MedSpa.Bench.Cluster;

/// <summary>What every benchmark is given: its sizes, and where to report progress.</summary>
public sealed record BenchOptions(int BillingMembers, int OperatorRate, int Concurrency, TimeSpan Duration, int PacedRate, int[] MemorySteps, int StartupRuns)
{
    public static void Progress(string line) => Console.Error.WriteLine($"[{DateTimeOffset.UtcNow:HH:mm:ss}] {line}");
}

/// <summary>A benchmark's part of the results: a Markdown section, and whether its figure met the target.</summary>
public sealed record Figure(string Name, string Markdown, bool Pass);

/// <summary>The API as the benchmarks call it: every failure says what was asked and what came back.</summary>
public static class Api
{
    public static async Task<JsonElement> PostOkAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text}");
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> GetOkAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} {text}");
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Runs <paramref name="work"/> for 0..count-1, <paramref name="concurrency"/> at a time, reporting every 10 %.</summary>
    public static async Task ForEachAsync(int count, int concurrency, string what, Func<int, Task> work)
    {
        var next = -1;
        var done = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Math.Min(concurrency, Math.Max(count, 1))).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                await work(i);
                var finished = Interlocked.Increment(ref done);
                if (count >= 1_000 && finished % (count / 10) == 0)
                {
                    BenchOptions.Progress($"  {what}: {finished:N0} of {count:N0} ({finished / clock.Elapsed.TotalSeconds:F0}/s)");
                }
            }
        }));
    }

    /// <summary>An administrator's client of <paramref name="silo"/> that waits as long as a billing run takes.</summary>
    public static HttpClient PatientAdmin(SiloProcess silo)
    {
        var client = silo.AdminClient();
        client.Timeout = TimeSpan.FromMinutes(30);
        return client;
    }
}

/// <summary>Latencies in milliseconds, for medians and tails.</summary>
public static class Stats
{
    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static double Ms(long fromTimestamp, long toTimestamp) => Stopwatch.GetElapsedTime(fromTimestamp, toTimestamp).TotalMilliseconds;
}
