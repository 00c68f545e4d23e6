using System.Diagnostics;
using System.Threading.Channels;
using MedSpa.Domain.Reporting;
using MedSpa.Grains.Members;
using MedSpa.Grains.Reporting;
using MedSpa.Members;
using Npgsql;

namespace MedSpa.Bench.Reports;

/// <summary>What building the projection took: clients, events, and where the time went.</summary>
public sealed record BuildResult(
    int Members,
    int NonMembers,
    long Events,
    long EventsFolded,
    int Batches,
    TimeSpan Wall,
    TimeSpan Generate,
    TimeSpan Fold,
    TimeSpan Write,
    IReadOnlyDictionary<string, long> EventTypes);

/// <summary>
/// Builds the projection the way <see cref="ReportProjector"/> does, minus reading the log back from PostgreSQL: each
/// client's events go through <see cref="ReportProjection"/> (the projector's own fold, the domain's
/// <c>Member.Apply</c> inside) into a <see cref="ReportBatch"/> per chunk of clients, and <see cref="ReportWriter"/>
/// adds each batch to the tables in its own transaction. Generating and folding run on every core; one connection
/// writes, while the next batches are being folded.
/// </summary>
public static class ProjectionBuilder
{
    public static async Task<BuildResult> BuildAsync(
        NpgsqlDataSource database, ClientSimulator simulator, BenchPractice practice, int members, int nonMembers, int batchSize, CancellationToken cancellationToken)
    {
        var total = members + nonMembers;
        var chunks = (total + batchSize - 1) / batchSize;
        var channel = Channel.CreateBounded<ReportBatch>(new BoundedChannelOptions(2) { SingleReader = true });
        var wall = Stopwatch.StartNew();
        long generateTicks = 0, foldTicks = 0, events = 0;
        var nextChunk = -1;
        var types = new Dictionary<string, long>(StringComparer.Ordinal);

        async Task Work()
        {
            var mine = new Dictionary<string, long>(StringComparer.Ordinal);
            var timer = new Stopwatch();
            int chunk;
            while ((chunk = Interlocked.Increment(ref nextChunk)) < chunks)
            {
                var batch = new ReportBatch();
                long generate = 0, fold = 0, count = 0;
                for (var client = chunk * batchSize; client < Math.Min(total, (chunk + 1) * batchSize); client++)
                {
                    timer.Restart();
                    var simulated = simulator.Simulate(client, member: client < members);
                    generate += timer.ElapsedTicks;

                    timer.Restart();
                    Fold(simulated, practice, batch);
                    fold += timer.ElapsedTicks;

                    count += simulated.Events.Count;
                    foreach (var e in simulated.Events)
                    {
                        var type = MemberEventJson.TypeOf(e);
                        mine[type] = mine.GetValueOrDefault(type) + 1;
                    }
                }

                Interlocked.Add(ref generateTicks, generate);
                Interlocked.Add(ref foldTicks, fold);
                Interlocked.Add(ref events, count);
                await channel.Writer.WriteAsync(batch, cancellationToken);
            }

            lock (types)
            {
                foreach (var (type, n) in mine)
                {
                    types[type] = types.GetValueOrDefault(type) + n;
                }
            }
        }

        var workers = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => Task.Run(Work, cancellationToken)).ToArray();
        var closing = Task.WhenAll(workers).ContinueWith(t => channel.Writer.Complete(t.Exception), TaskScheduler.Default);

        var write = new Stopwatch();
        long folded = 0;
        var batches = 0;
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        {
            await foreach (var batch in channel.Reader.ReadAllAsync(cancellationToken))
            {
                write.Start();
                await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
                {
                    await ReportWriter.WriteAsync(connection, transaction, batch, cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                }

                write.Stop();
                folded += batch.Events;
                batches++;
                if (batches % 10 == 0 || batches == chunks)
                {
                    Console.Error.WriteLine(
                        $"  {batches}/{chunks} batches, {Interlocked.Read(ref events):N0} events, {wall.Elapsed.TotalSeconds:F0} s, " +
                        $"{Interlocked.Read(ref events) / Math.Max(1, wall.Elapsed.TotalSeconds):N0} events/s");
                }
            }
        }

        await closing;
        await Task.WhenAll(workers);
        wall.Stop();
        return new BuildResult(members, nonMembers, events, folded, batches, wall.Elapsed,
            TimeSpan.FromSeconds((double)generateTicks / Stopwatch.Frequency), TimeSpan.FromSeconds((double)foldTicks / Stopwatch.Frequency),
            write.Elapsed, types);
    }

    /// <summary>One client's log through the projector's fold, from the first event (nothing of it is projected yet).</summary>
    public static void Fold(SimulatedClient client, BenchPractice practice, ReportBatch batch)
    {
        var projection = new ReportProjection(client.MemberId, alreadyProjected: 0, practice.ZoneOf);
        var seq = 0L;
        foreach (var e in client.Events)
        {
            projection.Fold(++seq, e, batch);
        }

        if (projection.Row() is { } row)
        {
            batch.Members.Add(row);
        }
    }
}
