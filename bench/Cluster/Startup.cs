using System.Diagnostics;
using System.Globalization;
using System.Text;
using MedSpa.Tests;

namespace MedSpa.Bench.Cluster;

/// <summary>
/// Start-up to ready: from starting the silo executable until <c>/health/ready</c> answers 200, on a database that
/// is new (the schema is created by this start), on one that exists but is empty, and on the populated one.
/// </summary>
public static class Startup
{
    /// <summary>
    /// Kubernetes' default probe settings (every 10 s, 3 failures) give a container 30 s before it is counted as failing,
    /// and a rolling restart of a cluster waits one start-up per silo: 30 s is the limit an operator would hold us to.
    /// </summary>
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    public static async Task<Figure> RunAsync(BenchOptions options, PopulatedDatabase populated)
    {
        var rows = new List<(string Case, List<double> Seconds)>();
        var loadBefore = Reports.Machine.LoadAverage();
        await using (var fresh = await TestDatabase.CreateAsync())
        {
            var first = await TimeAsync(fresh);
            rows.Add(("new database (schema created at start-up)", [first]));
            var again = new List<double>();
            for (var i = 0; i < options.StartupRuns; i++)
            {
                again.Add(await TimeAsync(fresh));
            }

            rows.Add(("existing database, no members", again));
        }

        var full = new List<double>();
        for (var i = 0; i < options.StartupRuns; i++)
        {
            full.Add(await TimeAsync(populated.Database));
        }

        rows.Add(($"populated database ({populated.Members:N0} members' journals, {populated.Events:N0} events)", full));
        var loadAfter = Reports.Machine.LoadAverage();

        var worst = rows.Max(r => r.Seconds.Order().ElementAt(r.Seconds.Count / 2));
        var pass = worst < Limit.TotalSeconds;
        var s = new StringBuilder();
        void Line(FormattableString text) => s.AppendLine(text.ToString(CultureInfo.InvariantCulture));
        Line($"### Start-up to ready");
        Line($"");
        Line($"From starting `dotnet MedSpa.Silo.dll` (`SiloProcess`, the embedded Stripe emulator, simulated clock) until `GET /health/ready` answers 200, polled every 250 ms, so each time is up to 0.25 s late. The silo is stopped with SIGTERM after each start. Limit {Limit.TotalSeconds:F0} s: Kubernetes' default probes (every 10 s, 3 failures) give a container that long, and a rolling restart waits one start-up per silo.");
        Line($"");
        Line($"| database | starts | median s | max s | ratio (median / {Limit.TotalSeconds:F0} s) |");
        Line($"|---|---:|---:|---:|---:|");
        foreach (var (name, seconds) in rows)
        {
            var median = seconds.Order().ElementAt(seconds.Count / 2);
            Line($"| {name} | {seconds.Count} | {median:F2} | {seconds.Max():F2} | **{median / Limit.TotalSeconds:F2}** |");
        }

        Line($"");
        Line($"{(pass ? "pass" : "**FAIL**")}. Load average (1, 5, 15 min): {loadBefore} before, {loadAfter} after.");
        return new Figure("startup", s.ToString(), pass);
    }

    private static async Task<double> TimeAsync(TestDatabase database)
    {
        var clock = Stopwatch.StartNew();
        await using var silo = await SiloProcess.StartAsync(database);
        var seconds = clock.Elapsed.TotalSeconds;
        await silo.StopAsync();
        BenchOptions.Progress($"startup: ready in {seconds:F2} s");
        return seconds;
    }
}
