using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MedSpa.Tests;
using Npgsql;

namespace MedSpa.Bench.Cluster;

/// <summary>
/// Redemptions per second through the HTTP API (each one an append to the member's journal in PostgreSQL), with p50
/// and p99, against PostgreSQL's own rate of single-row transactions (INSERT one row, COMMIT) on the same server, at
/// the same concurrency, for the same time. With durable commits, that rate is what one journal append costs at best.
/// </summary>
public static class Redemptions
{
    /// <summary>
    /// The silo is started for this run, and .NET's tiered JIT goes on recompiling the hot path for some 20 s under
    /// load (a tenth of the silo's CPU at 3 s in): a practice's silo runs for days, so the figure is the steady state after it.
    /// </summary>
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(20);

    public static async Task<Figure> RunAsync(BenchOptions options)
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var silo = await SiloProcess.StartAsync(database);
        using var admin = Api.PatientAdmin(silo);
        var clinic = await Clinic.OpenAsync(admin);
        var members = await RedeemingMembers.SeedAsync(admin, clinic, options.Concurrency * 8, "redemptions");

        BenchOptions.Progress($"redemptions: {options.Concurrency} clients for {options.Duration.TotalSeconds:F0} s after a {WarmUp.TotalSeconds:F0} s warm-up");
        var loadBefore = Reports.Machine.LoadAverage();
        var acknowledged = 0L;
        var api = await MeasureAsync(options, async (worker, n) =>
        {
            var member = members[(worker + (n * options.Concurrency)) % members.Count];
            using var response = await admin.PostAsJsonAsync($"/api/v1/members/{member.Id}/redemptions",
                new { redemptionId = $"red_{worker}_{n}", benefitKey = Clinic.NeurotoxinKey, quantity = 1 });
            if (response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref acknowledged);
            }

            return response.IsSuccessStatusCode;
        });

        // The journal commits many members' redemptions in one transaction under this load: every acknowledged one
        // must have taken exactly its unit, warm-up included, and nothing else.
        var remaining = 0L;
        foreach (var (id, _) in members)
        {
            var credits = await Api.GetOkAsync(admin, $"/api/v1/members/{id}/credits");
            remaining += RedeemingMembers.NeurotoxinBalance(credits);
        }

        var taken = members.Sum(m => m.Balance) - remaining;

        BenchOptions.Progress($"redemptions: PostgreSQL single-row commits, {options.Concurrency} connections");
        await database.ExecuteAsync("CREATE TABLE bench_commits (id bigserial PRIMARY KEY, worker int NOT NULL, n int NOT NULL, payload jsonb NOT NULL, at timestamptz NOT NULL DEFAULT now())");
        // About the size of a redemption event's JSON in member_events.
        var payload = "{\"type\":\"credits_redeemed\",\"redemption_id\":\"red_0_0\",\"benefit_key\":\"units:neurotoxin\",\"quantity\":1,"
            + "\"draws\":[{\"lot_id\":\"lot_0123456789abcdef\",\"quantity\":1}],\"service_id\":null,\"occurred_at\":\"2026-11-25T12:00:00+00:00\"}";
        await using var source = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(database.ConnectionString) { MaxPoolSize = options.Concurrency + 4 }.ConnectionString);
        var connections = new NpgsqlConnection[options.Concurrency];
        for (var i = 0; i < connections.Length; i++)
        {
            connections[i] = await source.OpenConnectionAsync();
        }

        var commits = await MeasureAsync(options, async (worker, n) =>
        {
            var connection = connections[worker];
            await using var transaction = await connection.BeginTransactionAsync();
            await using var insert = new NpgsqlCommand("INSERT INTO bench_commits (worker, n, payload) VALUES ($1, $2, $3::jsonb)", connection, transaction)
            {
                Parameters = { new() { Value = worker }, new() { Value = n }, new() { Value = payload } },
            };
            await insert.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
            return true;
        });
        foreach (var connection in connections)
        {
            await connection.DisposeAsync();
        }

        var loadAfter = Reports.Machine.LoadAverage();
        var settings = await database.ScalarAsync<string>("SELECT string_agg(name || ' ' || setting, ', ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'wal_sync_method', 'full_page_writes', 'commit_delay')");
        var ratio = api.PerSecond / commits.PerSecond;
        var pass = ratio >= 0.5 && api.Failed == 0 && taken == acknowledged;

        var s = new StringBuilder();
        void Line(FormattableString text) => s.AppendLine(text.ToString(CultureInfo.InvariantCulture));
        Line($"### Redemptions per second through the HTTP API");
        Line($"");
        Line($"{options.Concurrency} concurrent clients, each `POST /api/v1/members/{{id}}/redemptions` (one unit) in a loop over {members.Count} members, one silo process; then, on the same PostgreSQL server, {options.Concurrency} connections each running `BEGIN; INSERT one row; COMMIT` in a loop. Each for {options.Duration.TotalSeconds:F0} s after a {WarmUp.TotalSeconds:F0} s warm-up. PostgreSQL: {settings}.");
        Line($"");
        Line($"| | completed | failed | per second | p50 ms | p99 ms | max ms |");
        Line($"|---|---:|---:|---:|---:|---:|---:|");
        Line($"| redemptions through the API | {api.Completed:N0} | {api.Failed:N0} | {api.PerSecond:F0} | {api.P50:F1} | {api.P99:F1} | {api.Max:F1} |");
        Line($"| PostgreSQL single-row commits | {commits.Completed:N0} | {commits.Failed:N0} | {commits.PerSecond:F0} | {commits.P50:F1} | {commits.P99:F1} | {commits.Max:F1} |");
        Line($"");
        Line($"**Ratio: {ratio:F2}** of PostgreSQL's commit rate (target ≥ 0.50): {(pass ? "pass" : "**FAIL**")}. Load average (1, 5, 15 min): {loadBefore} before, {loadAfter} after.");
        Line($"");
        Line($"Ledger check: {acknowledged:N0} redemptions acknowledged (warm-up included), {taken:N0} units taken from the members' balances: {(taken == acknowledged ? "equal" : "**NOT EQUAL**")}.");
        return new Figure("redemptions", s.ToString(), pass);
    }

    /// <summary><see cref="BenchOptions.Concurrency"/> loops of <paramref name="call"/>; only calls that start after the warm-up count.</summary>
    private static async Task<Measured> MeasureAsync(BenchOptions options, Func<int, int, Task<bool>> call)
    {
        var latencies = new List<double>[options.Concurrency];
        var failed = 0;
        var begin = Stopwatch.GetTimestamp();
        var measuredFrom = begin + (long)(WarmUp.TotalSeconds * Stopwatch.Frequency);
        var until = measuredFrom + (long)(options.Duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(async worker =>
        {
            var mine = latencies[worker] = [];
            for (var n = 0; ; n++)
            {
                var sent = Stopwatch.GetTimestamp();
                if (sent >= until)
                {
                    return;
                }

                var ok = await call(worker, n);
                if (sent < measuredFrom)
                {
                    continue;
                }

                if (ok)
                {
                    mine.Add(Stats.Ms(sent, Stopwatch.GetTimestamp()));
                }
                else
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }));

        var sorted = latencies.SelectMany(l => l).Order().ToList();
        return new Measured(sorted.Count, failed, sorted.Count / options.Duration.TotalSeconds, Stats.Percentile(sorted, 50), Stats.Percentile(sorted, 99), sorted.LastOrDefault());
    }

    private sealed record Measured(int Completed, int Failed, double PerSecond, double P50, double P99, double Max);
}

/// <summary>Active members with plenty of neurotoxin units to redeem, one at a time.</summary>
public static class RedeemingMembers
{
    public const long Units = 100_000;

    public static async Task<List<(string Id, long Balance)>> SeedAsync(HttpClient admin, Clinic clinic, int count, string what)
    {
        BenchOptions.Progress($"{what}: {count} active members with {Units:N0} units each");
        var members = new (string, long)[count];
        await Api.ForEachAsync(count, 8, "members", async i =>
        {
            var id = await clinic.ActiveMemberAsync("Red", $"Eem{i}");
            var credits = await Api.PostOkAsync(admin, $"/api/v1/members/{id}/credit-adjustments",
                new { adjustmentId = $"adj_{i}", benefitKey = Clinic.NeurotoxinKey, quantity = Units, reason = "benchmark" });
            members[i] = (id, NeurotoxinBalance(credits));
        });
        return [.. members];
    }

    /// <summary>The neurotoxin balance in a credits view (<c>GET …/credits</c>, or a credit adjustment's answer).</summary>
    public static long NeurotoxinBalance(JsonElement credits) => credits.GetProperty("balances").EnumerateArray()
        .Single(b => b.GetProperty("benefitKey").GetString() == Clinic.NeurotoxinKey).GetProperty("balance").GetInt64();
}
