using System.Diagnostics;
using MedSpa.Grains.Members;
using MedSpa.Grains.Reporting;
using MedSpa.Members;
using MedSpa.Reporting;
using Npgsql;
using NpgsqlTypes;

namespace MedSpa.Bench.Reports;

/// <summary>What the end-to-end run measured: the log written for real, then folded by the projector itself.</summary>
public sealed record EndToEndResult(
    int Members,
    int NonMembers,
    long Events,
    long TailEvents,
    long LogBytes,
    TimeSpan WriteLog,
    TimeSpan Rebuild,
    ProjectionRun RebuildRun,
    TimeSpan CatchUp,
    ProjectionRun CatchUpRun,
    TimeSpan Idle,
    ProjectionRun IdleRun,
    string? Difference);

/// <summary>
/// The path a deployment takes, on a smaller practice: every event written to <c>member_events</c> (COPY, as JSON, as
/// the journal stores it), all but the last week of it folded by <see cref="ReportProjector"/> with
/// <c>rebuild: true</c> (the one-command rebuild), then the last week appended and folded incrementally, then one more
/// run with nothing new. The result is checked against the in-process fold of the same clients: every report must
/// answer the same.
/// </summary>
public static class EndToEnd
{
    private const int ClientsPerCopy = 500;

    public static async Task<EndToEndResult> RunAsync(
        NpgsqlDataSource log, NpgsqlDataSource inProcess, ClientSimulator simulator, BenchPractice practice, int members, int nonMembers,
        IReadOnlyList<ReportCase> cases, CancellationToken cancellationToken)
    {
        var split = new DateTimeOffset(simulator.LastDay.AddDays(-6).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var tail = new List<(string MemberId, long Seq, MemberEvent Event)>();
        long events = 0;
        var write = Stopwatch.StartNew();
        var total = members + nonMembers;
        for (var first = 0; first < total; first += ClientsPerCopy)
        {
            var rows = new List<(string MemberId, long Seq, MemberEvent Event)>();
            for (var client = first; client < Math.Min(total, first + ClientsPerCopy); client++)
            {
                var simulated = simulator.Simulate(client, member: client < members);
                for (var i = 0; i < simulated.Events.Count; i++)
                {
                    var e = simulated.Events[i];
                    (e.OccurredAt < split ? rows : tail).Add((simulated.MemberId, i + 1, e));
                }

                events += simulated.Events.Count;
            }

            await CopyAsync(log, rows, cancellationToken);
        }

        write.Stop();
        Console.Error.WriteLine($"  member_events: {events - tail.Count:N0} rows written in {write.Elapsed.TotalSeconds:F1} s; folding them with ReportProjector (rebuild)");

        var projector = new ReportProjector(log);
        var watch = Stopwatch.StartNew();
        var rebuilt = await projector.RunAsync(rebuild: true, practice.ZoneOf, cancellationToken);
        var rebuild = watch.Elapsed;
        Console.Error.WriteLine($"  rebuild: {rebuilt.Events:N0} events of {rebuilt.Members:N0} clients in {rebuild.TotalSeconds:F1} s");

        await CopyAsync(log, tail, cancellationToken);
        watch.Restart();
        var caughtUp = await projector.RunAsync(rebuild: false, practice.ZoneOf, cancellationToken);
        var catchUp = watch.Elapsed;
        watch.Restart();
        var idle = await projector.RunAsync(rebuild: false, practice.ZoneOf, cancellationToken);
        var idleTime = watch.Elapsed;
        Console.Error.WriteLine($"  catch-up: {caughtUp.Events:N0} events of {caughtUp.Members:N0} clients in {catchUp.TotalSeconds:F2} s; nothing new: {idleTime.TotalMilliseconds:F0} ms");

        long bytes;
        await using (var size = log.CreateCommand("SELECT pg_total_relation_size('member_events')"))
        {
            bytes = (long)(await size.ExecuteScalarAsync(cancellationToken))!;
        }

        Console.Error.WriteLine("  folding the same clients in-process, to compare every report");
        await ProjectionBuilder.BuildAsync(inProcess, simulator, practice, members, nonMembers, 1000, cancellationToken);
        var difference = await CompareAsync(new ReportReader(log), new ReportReader(inProcess), cases);
        return new EndToEndResult(members, nonMembers, events, tail.Count, bytes, write.Elapsed, rebuild, rebuilt, catchUp, caughtUp, idleTime, idle, difference);
    }

    /// <summary>Appends events to member_events as the journal stores them (COPY; the journal's JSON and idempotency keys).</summary>
    public static async Task CopyAsync(NpgsqlDataSource database, List<(string MemberId, long Seq, MemberEvent Event)> rows, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var import = await connection.BeginBinaryImportAsync(
            "COPY member_events (member_id, seq, event_type, payload, idempotency_key, occurred_at) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var (memberId, seq, e) in rows)
        {
            await import.StartRowAsync(cancellationToken);
            await import.WriteAsync(memberId, NpgsqlDbType.Text, cancellationToken);
            await import.WriteAsync(seq, NpgsqlDbType.Bigint, cancellationToken);
            await import.WriteAsync(MemberEventJson.TypeOf(e), NpgsqlDbType.Text, cancellationToken);
            await import.WriteAsync(MemberEventJson.Serialize(e), NpgsqlDbType.Jsonb, cancellationToken);
            if (MemberEventJson.IdempotencyKey(e) is { } key)
            {
                await import.WriteAsync(key, NpgsqlDbType.Text, cancellationToken);
            }
            else
            {
                await import.WriteNullAsync(cancellationToken);
            }

            await import.WriteAsync(e.OccurredAt.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken);
        }

        await import.CompleteAsync(cancellationToken);
    }

    /// <summary>Null when every reader query answers the same from both projections; otherwise the first difference.</summary>
    private static async Task<string?> CompareAsync(ReportReader projector, ReportReader inProcess, IReadOnlyList<ReportCase> cases)
    {
        foreach (var c in cases)
        {
            var q = c.Query;
            var checks = new (string Name, Func<ReportReader, Task<List<object>>> Read)[]
            {
                ("MembershipAsync", async r => [.. await r.MembershipAsync(q)]),
                ("ChurnReasonsAsync", async r => [.. await r.ChurnReasonsAsync(q)]),
                ("CreditsAsync", async r => [.. await r.CreditsAsync(q)]),
                ("DeferredAsync", async r => [.. await r.DeferredAsync(q)]),
                ("RevenueAsync", async r => [.. await r.RevenueAsync(q)]),
                ("PayingClientsAsync", async r => [.. await r.PayingClientsAsync(q)]),
                ("PlanMovesAsync", async r => [.. await r.PlanMovesAsync(q)]),
                ("AtRiskAsync", async r => [.. await r.AtRiskAsync(q)]),
            };
            foreach (var (name, read) in checks)
            {
                var a = await read(projector);
                var b = await read(inProcess);
                if (a.Count != b.Count)
                {
                    return $"{c.Name}, {name}: {a.Count} rows from the projector, {b.Count} in-process";
                }

                for (var i = 0; i < a.Count; i++)
                {
                    if (!Equals(a[i], b[i]))
                    {
                        return $"{c.Name}, {name}, row {i}: {a[i]} from the projector, {b[i]} in-process";
                    }
                }
            }
        }

        return null;
    }
}
