using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using MedSpa.Bench.Reports;
using MedSpa.Grains.Reporting;
using MedSpa.Reporting;
using MedSpa.Silo.Database;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

// The reporting benchmark. See bench/README.md; bench/reports.sh runs it against a private PostgreSQL.
var options = Options.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(Options.Usage);
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
var cancellationToken = stop.Token;

var practice = new BenchPractice(new DateTimeOffset(options.Start.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
var lastDay = options.Start.AddMonths(options.Months).AddDays(-1);
var simulator = new ClientSimulator(practice, options.Start, lastDay, options.Seed);
var parameters = string.Create(CultureInfo.InvariantCulture,
    $"members={options.Members};non_members={options.NonMembers};months={options.Months};start={options.Start:yyyy-MM-dd};seed={options.Seed};batch={options.Batch}");

await using var database = await OpenDatabaseAsync(options.Connection, options.Database, fresh: !options.Reuse, cancellationToken);
await new Schema(database, NullLogger<Schema>.Instance).ApplyAsync(cancellationToken);
await ExecuteAsync(database, "CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value text NOT NULL)", cancellationToken);

BuildResult build;
var built = await MetaAsync(database, "parameters", cancellationToken) == parameters && await MetaAsync(database, "build", cancellationToken) is { } saved
    ? JsonSerializer.Deserialize<BuildResult>(saved)
    : null;
if (built is not null)
{
    Console.Error.WriteLine($"Reusing the projection in {options.Database} ({parameters}), built earlier in {built.Wall.TotalSeconds:F0} s");
    build = built;
}
else
{
    if (options.Reuse)
    {
        await TruncateProjectionAsync(database, cancellationToken);
    }

    Console.Error.WriteLine($"Generating and folding {options.Members:N0} members and {options.NonMembers:N0} other clients over {options.Months} months " +
        $"({options.Start:yyyy-MM-dd} to {lastDay:yyyy-MM-dd}), {options.Batch:N0} clients per batch, {Environment.ProcessorCount} workers");
    build = await ProjectionBuilder.BuildAsync(database, simulator, practice, options.Members, options.NonMembers, options.Batch, cancellationToken);
    await SetMetaAsync(database, "parameters", parameters, cancellationToken);
    await SetMetaAsync(database, "build", JsonSerializer.Serialize(build), cancellationToken);
}

// What autovacuum would have done by the time anyone asks for a report: fresh statistics, an all-visible map.
Console.Error.WriteLine("VACUUM ANALYZE of the projection tables");
var analyze = System.Diagnostics.Stopwatch.StartNew();
foreach (var table in ProjectionTables)
{
    await ExecuteAsync(database, $"VACUUM (ANALYZE) {table}", cancellationToken);
}

analyze.Stop();
var tables = await TableStatsAsync(database, cancellationToken);

var to = lastDay;
var from = new DateOnly(to.Year, to.Month, 1).AddMonths(-11);
ReportCase[] cases =
[
    new("12 months, all locations", new ReportQuery(from, to)),
    new("12 months, one location", new ReportQuery(from, to, "loc_downtown")),
    new("12 months, by plan version", new ReportQuery(from, to, ByVersion: true)),
    new($"{options.Months} months, all locations", new ReportQuery(options.Start, to)),
];
if (options.Dump is { } dump)
{
    // Every reader query's rows, for a diff before and after a change to the SQL: the timed cases and some awkward ones.
    ReportCase[] awkward =
    [
        new("mid-month to mid-month", new ReportQuery(options.Start.AddDays(75), lastDay.AddDays(-140), "loc_bayside", ByVersion: true)),
        new("one day", new ReportQuery(lastDay.AddDays(-200), lastDay.AddDays(-200))),
        new("before the data", new ReportQuery(options.Start.AddYears(-2), options.Start.AddDays(-1))),
        new("across the start", new ReportQuery(options.Start.AddDays(-50), options.Start.AddDays(40), ByVersion: true)),
        new("past the end", new ReportQuery(lastDay, lastDay.AddMonths(15), "loc_lakeside")),
    ];
    await ReportDump.WriteAsync(new ReportReader(database), [.. cases, .. awkward], dump, cancellationToken);
    Console.Error.WriteLine($"Every report query's rows written to {dump}");
}

var timer = new ReportTimer(new ReportReader(database), options.Runs, options.LimitMs);
var reports = new List<Timed>();
var queries = new List<Timed>();
var loadBefore = Machine.LoadAverage();
foreach (var reportCase in cases)
{
    Console.Error.WriteLine($"Timing {reportCase.Name}: {reportCase.Query}");
    foreach (var (report, reportQueries, run) in timer.Reports)
    {
        reports.Add(await timer.TimeAsync(reportCase, report, reportQueries, run));
    }

    foreach (var (query, run) in timer.Queries)
    {
        queries.Add(await timer.TimeAsync(reportCase, query, query, run));
    }
}

var loadAfter = Machine.LoadAverage();
EndToEndResult? endToEnd = null;
if (options.EndToEnd > 0)
{
    var members = options.EndToEnd;
    Console.Error.WriteLine($"End to end: {members:N0} members and {members / 10:N0} other clients through member_events and ReportProjector");
    await using var log = await OpenDatabaseAsync(options.Connection, options.Database + "_e2e", fresh: true, cancellationToken);
    await using var inProcess = await OpenDatabaseAsync(options.Connection, options.Database + "_e2e_inproc", fresh: true, cancellationToken);
    await new Schema(log, NullLogger<Schema>.Instance).ApplyAsync(cancellationToken);
    await new Schema(inProcess, NullLogger<Schema>.Instance).ApplyAsync(cancellationToken);
    endToEnd = await EndToEnd.RunAsync(log, inProcess, simulator, practice, members, members / 10, cases, cancellationToken);
}

var markdown = await ResultsAsync(database, options, parameters, lastDay, build, analyze.Elapsed, tables, cases, reports, queries, (loadBefore, loadAfter), endToEnd, cancellationToken);
Console.WriteLine(markdown);
if (options.Out is { } path)
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    await File.WriteAllTextAsync(path, markdown, cancellationToken);
    Console.Error.WriteLine($"Results written to {path}");
}

var failed = reports.Count(r => !r.Passed) + queries.Count(q => !q.Passed);
if (endToEnd?.Difference is { } difference)
{
    Console.Error.WriteLine($"The projector and the in-process fold disagree: {difference}");
    return 1;
}

Console.Error.WriteLine(failed == 0 ? "Every report answered under its limit." : $"{failed} timings over the limit.");
return failed == 0 ? 0 : 1;

static async Task<NpgsqlDataSource> OpenDatabaseAsync(string connection, string name, bool fresh, CancellationToken cancellationToken)
{
    var admin = new NpgsqlConnectionStringBuilder(connection) { Database = "postgres", Pooling = false };
    await using (var server = new NpgsqlConnection(admin.ConnectionString))
    {
        await server.OpenAsync(cancellationToken);
        var quoted = "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        if (fresh)
        {
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)", server);
            await drop.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", server);
        exists.Parameters.Add(new NpgsqlParameter { Value = name });
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE {quoted}", server);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    var target = new NpgsqlConnectionStringBuilder(connection) { Database = name, CommandTimeout = 0 };
    return NpgsqlDataSource.Create(target.ConnectionString);
}

static async Task ExecuteAsync(NpgsqlDataSource database, string sql, CancellationToken cancellationToken)
{
    await using var command = database.CreateCommand(sql);
    await command.ExecuteNonQueryAsync(cancellationToken);
}

static async Task<string?> MetaAsync(NpgsqlDataSource database, string key, CancellationToken cancellationToken)
{
    await using var command = database.CreateCommand("SELECT value FROM bench_meta WHERE key = $1");
    command.Parameters.Add(new NpgsqlParameter { Value = key });
    return (string?)await command.ExecuteScalarAsync(cancellationToken);
}

static async Task SetMetaAsync(NpgsqlDataSource database, string key, string value, CancellationToken cancellationToken)
{
    await using var command = database.CreateCommand(
        "INSERT INTO bench_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value");
    command.Parameters.Add(new NpgsqlParameter { Value = key });
    command.Parameters.Add(new NpgsqlParameter { Value = value });
    await command.ExecuteNonQueryAsync(cancellationToken);
}

static async Task TruncateProjectionAsync(NpgsqlDataSource database, CancellationToken cancellationToken)
{
    await ExecuteAsync(database, $"TRUNCATE {string.Join(", ", ProjectionTables)}", cancellationToken);
    await ExecuteAsync(database, "DELETE FROM bench_meta", cancellationToken);
}

static async Task<List<(string Table, long Rows, long Bytes)>> TableStatsAsync(NpgsqlDataSource database, CancellationToken cancellationToken)
{
    var stats = new List<(string, long, long)>();
    foreach (var table in ProjectionTables)
    {
        await using var command = database.CreateCommand($"SELECT count(*), pg_total_relation_size('{table}') FROM {table}");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        stats.Add((table, reader.GetInt64(0), reader.GetInt64(1)));
    }

    return stats;
}

static async Task<string> ResultsAsync(
    NpgsqlDataSource database, Options options, string parameters, DateOnly lastDay, BuildResult build, TimeSpan analyze,
    List<(string Table, long Rows, long Bytes)> tables, ReportCase[] cases, List<Timed> reports, List<Timed> queries, (string Before, string After) load,
    EndToEndResult? endToEnd,
    CancellationToken cancellationToken)
{
    string Setting(string sql)
    {
        using var command = database.CreateCommand(sql);
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture) ?? "";
    }

    await Task.CompletedTask;
    cancellationToken.ThrowIfCancellationRequested();
    var s = new StringBuilder();
    var c = CultureInfo.InvariantCulture;
    void Line(FormattableString text) => s.AppendLine(text.ToString(c));

    Line($"Run of {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, `{parameters}`.");
    Line($"");
    Line($"### Machine");
    Line($"");
    Line($"| | |");
    Line($"|---|---|");
    Line($"| CPU | {Environment.ProcessorCount} cores, {Machine.CpuModel()} |");
    Line($"| memory | {Machine.MemoryGiB():F1} GiB |");
    Line($"| OS | {RuntimeInformation.OSDescription} |");
    Line($"| .NET | {RuntimeInformation.FrameworkDescription} |");
    Line($"| PostgreSQL | {Setting("SHOW server_version")} |");
    Line($"| load average (1, 5, 15 min) | {load.Before} when the timing started, {load.After} when it ended |");
    Line($"| PostgreSQL settings | shared_buffers {Setting("SHOW shared_buffers")}, work_mem {Setting("SHOW work_mem")}, effective_cache_size {Setting("SHOW effective_cache_size")}, fsync {Setting("SHOW fsync")}, synchronous_commit {Setting("SHOW synchronous_commit")} |");
    Line($"");
    Line($"### Data");
    Line($"");
    Line($"{build.Members:N0} members and {build.NonMembers:N0} clients who never joined, {options.Months} months from {options.Start:yyyy-MM-dd} to {lastDay:yyyy-MM-dd}, seed {options.Seed}: {build.Events:N0} events, every one folded into the projection ({build.EventsFolded:N0} counted by the fold).");
    Line($"");
    Line($"| event type | events |");
    Line($"|---|---:|");
    foreach (var (type, n) in build.EventTypes.OrderByDescending(t => t.Value))
    {
        Line($"| `{type}` | {n:N0} |");
    }

    Line($"");
    Line($"| projection table | rows | size |");
    Line($"|---|---:|---:|");
    foreach (var (table, rows, bytes) in tables)
    {
        Line($"| `{table}` | {rows:N0} | {bytes / 1048576.0:F1} MiB |");
    }

    Line($"");
    Line($"### Building the projection (in-process fold, then ReportWriter)");
    Line($"");
    Line($"| | |");
    Line($"|---|---|");
    Line($"| wall time, generate + fold + write | {build.Wall.TotalSeconds:F0} s ({build.Events / build.Wall.TotalSeconds:N0} events/s) |");
    Line($"| generating the histories (domain decisions), summed over {Environment.ProcessorCount} workers | {build.Generate.TotalSeconds:F0} s |");
    Line($"| folding them (ReportProjection), summed over workers | {build.Fold.TotalSeconds:F0} s, {build.Events / build.Fold.TotalSeconds:N0} events/s per core |");
    Line($"| writing {build.Batches:N0} batches (ReportWriter, one transaction each) | {build.Write.TotalSeconds:F0} s |");
    Line($"| VACUUM ANALYZE of the projection | {analyze.TotalSeconds:F1} s |");
    Line($"");
    Line($"### Reports, as each endpoint asks them (limit {options.LimitMs:F0} ms, {options.Runs} runs after a warm-up)");
    Line($"");
    Line($"Ratio = median / limit, measured in this run. The time is from asking to holding every row; the grain's shaping of the rows is not in it.");
    Line($"");
    Line($"| report ({cases[0].Name}) | reader queries | rows | median ms | p95 ms | max ms | ratio | |");
    Line($"|---|---|---:|---:|---:|---:|---:|---|");
    foreach (var r in reports.Where(r => r.Case == cases[0].Name))
    {
        Line($"| {r.Name} | {r.Queries} | {r.Rows:N0} | {r.MedianMs:F1} | {r.P95Ms:F1} | {r.MaxMs:F1} | **{r.Ratio:F3}** | {(r.Passed ? "pass" : "FAIL")} |");
    }

    Line($"");
    Line($"Median and ratio of each report in every case:");
    Line($"");
    Line($"| report | queries | {string.Join(" | ", cases.Select(x => x.Name))} |");
    Line($"|---|---|{string.Concat(cases.Select(_ => "---:|"))}");
    foreach (var group in reports.GroupBy(r => (r.Name, r.Queries)))
    {
        var cells = cases.Select(x => group.Single(r => r.Case == x.Name)).Select(r =>
            string.Create(c, $"{r.MedianMs:F0} ms, **{r.Ratio:F2}**{(r.Passed ? "" : " FAIL")}"));
        Line($"| {group.Key.Name} | {group.Key.Queries} | {string.Join(" | ", cells)} |");
    }

    Line($"");
    Line($"### Every ReportReader query");
    Line($"");
    Line($"| case | query | rows | median ms | p95 ms | max ms | ratio | |");
    Line($"|---|---|---:|---:|---:|---:|---:|---|");
    foreach (var q in queries)
    {
        Line($"| {q.Case} | {q.Name} | {q.Rows:N0} | {q.MedianMs:F1} | {q.P95Ms:F1} | {q.MaxMs:F1} | {q.Ratio:F3} | {(q.Passed ? "pass" : "FAIL")} |");
    }

    if (endToEnd is { } e)
    {
        Line($"");
        Line($"### End to end: member_events, then ReportProjector");
        Line($"");
        Line($"{e.Members:N0} members and {e.NonMembers:N0} other clients, same generator: {e.Events:N0} events written to `member_events` ({e.LogBytes / 1048576.0:F0} MiB with indexes).");
        Line($"");
        Line($"| step | events | clients | time |");
        Line($"|---|---:|---:|---:|");
        Line($"| generating the clients and COPYing their events into member_events | {e.Events - e.TailEvents:N0} | {e.Members + e.NonMembers:N0} | {e.WriteLog.TotalSeconds:F1} s |");
        Line($"| `ReportProjector.RunAsync(rebuild: true)` | {e.RebuildRun.Events:N0} | {e.RebuildRun.Members:N0} | {e.Rebuild.TotalSeconds:F1} s ({e.RebuildRun.Events / e.Rebuild.TotalSeconds:N0} events/s) |");
        Line($"| last week appended, `RunAsync(rebuild: false)` | {e.CatchUpRun.Events:N0} | {e.CatchUpRun.Members:N0} | {e.CatchUp.TotalSeconds:F2} s |");
        Line($"| again, nothing new | {e.IdleRun.Events:N0} | {e.IdleRun.Members:N0} | {e.Idle.TotalMilliseconds:F0} ms |");
        Line($"");
        Line($"Every ReportReader query, in every case above, answers {(e.Difference is null ? "the same" : "DIFFERENTLY")} from this projection as from the in-process fold of the same clients{(e.Difference is null ? "" : $": {e.Difference}")}.");
    }

    return s.ToString();
}


internal sealed partial class Program
{
    private static readonly string[] ProjectionTables =
    [
        "report_members", "report_membership_daily", "report_churn_reasons", "report_credits_daily", "report_deferred_daily",
        "report_revenue_daily", "report_clients_monthly", "report_plan_moves", "report_lots", "report_visits",
    ];
}

internal sealed record Options(
    int Members, int NonMembers, int Months, DateOnly Start, int Seed, int Batch, int Runs, double LimitMs, string Connection, string Database,
    bool Reuse, int EndToEnd, string? Out, string? Dump)
{
    public const string Usage = """
        usage: MedSpa.Bench.Reports [--members 100000] [--non-members N/10] [--months 24] [--start 2024-01-01] [--seed 1]
                                    [--batch 1000] [--runs 20] [--limit-ms 1000] [--connection "Host=...;Username=..."]
                                    [--database medspa_bench] [--reuse] [--end-to-end 5000] [--out results.md] [--dump rows.txt]
          --connection defaults to $MEDSPA_BENCH_POSTGRES. The database is dropped and generated afresh unless --reuse
          finds one generated with the same parameters. --end-to-end N also writes N members' events to member_events
          and folds them with ReportProjector (databases <database>_e2e and <database>_e2e_inproc). --dump writes
          every report query's rows, to diff before and after a change to the SQL.
        """;

    public static Options? Parse(string[] args)
    {
        var members = 100_000;
        int? nonMembers = null;
        var months = 24;
        var start = new DateOnly(2024, 1, 1);
        var seed = 1;
        var batch = 1_000;
        var runs = 20;
        var limit = 1000.0;
        var connection = Environment.GetEnvironmentVariable("MEDSPA_BENCH_POSTGRES") ?? "Host=127.0.0.1;Port=5432;Username=postgres";
        var database = "medspa_bench";
        var reuse = false;
        var endToEnd = 0;
        string? output = null;
        string? dump = null;
        var c = CultureInfo.InvariantCulture;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--members": members = int.Parse(Next(), c); break;
                case "--non-members": nonMembers = int.Parse(Next(), c); break;
                case "--months": months = int.Parse(Next(), c); break;
                case "--start": start = DateOnly.ParseExact(Next(), "yyyy-MM-dd", c); break;
                case "--seed": seed = int.Parse(Next(), c); break;
                case "--batch": batch = int.Parse(Next(), c); break;
                case "--runs": runs = int.Parse(Next(), c); break;
                case "--limit-ms": limit = double.Parse(Next(), c); break;
                case "--connection": connection = Next(); break;
                case "--database": database = Next(); break;
                case "--reuse": reuse = true; break;
                case "--end-to-end": endToEnd = int.Parse(Next(), c); break;
                case "--out": output = Next(); break;
                case "--dump": dump = Next(); break;
                default: return null;
            }
        }

        return members < 1 || months < 1 || batch < 1 || runs < 1
            ? null
            : new Options(members, nonMembers ?? members / 10, months, start, seed, batch, runs, limit, connection, database, reuse, endToEnd, output, dump);
    }
}
