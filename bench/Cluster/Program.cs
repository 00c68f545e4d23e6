using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using MedSpa.Bench.Cluster;
using MedSpa.Tests;
using Npgsql;

// The cluster benchmarks. See bench/README.md; bench/cluster.sh runs them against a private PostgreSQL.
string[] all = ["billing", "redemptions", "signalr", "memory", "startup"];
var only = new List<string>();
var members = 10_000;
var activate = 100_000;
var concurrency = 32;
var seconds = 20;
var paced = 200;
var operatorRate = 95;
var startupRuns = 3;
var output = "bench/results/cluster.md";
for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    int Number() => int.Parse(Next(), NumberStyles.None, CultureInfo.InvariantCulture);
    switch (args[i])
    {
        case "--only": only.AddRange(Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)); break;
        case "--members": members = Number(); break;
        case "--activate": activate = Number(); break;
        case "--concurrency": concurrency = Number(); break;
        case "--seconds": seconds = Number(); break;
        case "--rate": paced = Number(); break;
        case "--operator-rate": operatorRate = Number(); break;
        case "--startup-runs": startupRuns = Number(); break;
        case "--out": output = Next(); break;
        default:
            Console.Error.WriteLine($"Unknown argument {args[i]}. Usage: [--only {string.Join('|', all)}[,...]] [--members 10000] [--activate 100000] " +
                "[--concurrency 32] [--seconds 20] [--rate 200] [--operator-rate 95] [--startup-runs 3] [--out bench/results/cluster.md]");
            return 2;
    }
}

if (only.Except(all).ToList() is { Count: > 0 } unknown)
{
    Console.Error.WriteLine($"Unknown benchmark {string.Join(", ", unknown)}; there are {string.Join(", ", all)}.");
    return 2;
}

var selected = only.Count == 0 ? all : only.Distinct().ToArray();
var options = new BenchOptions(members, operatorRate, concurrency, TimeSpan.FromSeconds(seconds), paced, [0, activate / 10, activate], startupRuns);
var parameters = $"members={members};activate={activate};concurrency={concurrency};seconds={seconds};rate={paced};operator_rate={operatorRate};startup_runs={startupRuns}";
var started = DateTimeOffset.UtcNow;
var loadAtStart = MedSpa.Bench.Reports.Machine.LoadAverage();

var figures = new List<Figure>();

// Written again after every figure, so a run cut short still leaves what it measured.
async Task<string> WriteResultsAsync()
{
    string postgres;
    await using (var connection = new NpgsqlConnection(TestDatabase.AdminConnectionString))
    {
        await connection.OpenAsync();
        await using var version = new NpgsqlCommand("SELECT current_setting('server_version') || '; fsync ' || current_setting('fsync') || ', synchronous_commit ' || current_setting('synchronous_commit') || ', shared_buffers ' || current_setting('shared_buffers')", connection);
        postgres = (string)(await version.ExecuteScalarAsync())!;
    }

    var s = new StringBuilder();
    void Line(FormattableString text) => s.AppendLine(text.ToString(CultureInfo.InvariantCulture));
    Line($"Run of {started:yyyy-MM-dd HH:mm} UTC ({(DateTimeOffset.UtcNow - started).TotalMinutes:F1} min), `{parameters}`, benchmarks: {string.Join(", ", selected)}.");
    Line($"");
    Line($"#### Machine");
    Line($"");
    Line($"| | |");
    Line($"|---|---|");
    Line($"| CPU | {Environment.ProcessorCount} cores, {MedSpa.Bench.Reports.Machine.CpuModel()} |");
    Line($"| memory | {MedSpa.Bench.Reports.Machine.MemoryGiB():F1} GiB |");
    Line($"| OS | {RuntimeInformation.OSDescription} |");
    Line($"| .NET | {RuntimeInformation.FrameworkDescription} |");
    Line($"| PostgreSQL | {postgres} |");
    Line($"| load average (1, 5, 15 min) | {loadAtStart} at the start, {MedSpa.Bench.Reports.Machine.LoadAverage()} at the end (each figure records its own) |");
    Line($"");
    Line($"| figure | result |");
    Line($"|---|---|");
    foreach (var figure in figures)
    {
        Line($"| {figure.Name} | {(figure.Pass ? "pass" : "**FAIL**")} |");
    }

    Line($"");
    foreach (var figure in figures)
    {
        s.Append(figure.Markdown.Replace("\n### ", "\n#### ", StringComparison.Ordinal).Replace("### ", "#### ", StringComparison.Ordinal)).AppendLine();
    }

    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
    await File.WriteAllTextAsync(output, s.ToString());
    return s.ToString();
}

PopulatedDatabase? populated = null;
try
{
    foreach (var name in selected)
    {
        BenchOptions.Progress($"== {name}");
        try
        {
            if (name is "memory" or "startup")
            {
                populated ??= await PopulatedDatabase.CreateAsync(activate);
            }

            var figure = name switch
            {
                "billing" => await Billing.RunAsync(options),
                "redemptions" => await Redemptions.RunAsync(options),
                "signalr" => await SignalRLatency.RunAsync(options),
                "memory" => await Memory.RunAsync(options, populated!),
                _ => await Startup.RunAsync(options, populated!),
            };
            figures.Add(figure);
            Console.WriteLine(figure.Markdown);
            await WriteResultsAsync();
        }
        catch (Exception e)
        {
            // One benchmark's failure is a result too; the others still run.
            BenchOptions.Progress($"{name} failed: {e}");
            figures.Add(new Figure(name, $"### {name}\n\n**Did not finish**: `{e.GetType().Name}: {e.Message.Split('\n')[0]}`\n", false));
        }
    }
}
finally
{
    if (populated is not null)
    {
        await populated.DisposeAsync();
    }
}

Console.WriteLine(await WriteResultsAsync());
Console.Error.WriteLine($"Written to {output}");
return figures.All(f => f.Pass) ? 0 : 1;
