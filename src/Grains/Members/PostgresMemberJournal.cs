using System.Diagnostics;
using MedSpa.Members;
using Npgsql;
using NpgsqlTypes;

namespace MedSpa.Grains.Members;

/// <summary>
/// The member log in PostgreSQL's <c>member_events</c> (see db/010): one row per event, never updated.
/// </summary>
/// <remarks>
/// Appends are group-committed. Each one joins a queue, and a few writers each take what has gathered and insert it
/// in one statement, so one transaction commits many members' events. Under load that costs PostgreSQL one commit
/// and one round trip per group rather than per event; a lone append still goes at once, in a group of one.
/// An append keeps its own meaning inside a group: its events land together or not at all, and only behind exactly
/// the log it was decided on. A group in which one append is refused (its seq taken, or a fact it records already
/// recorded) is rolled back whole by PostgreSQL, and each of its appends then goes again alone, so only that one is
/// refused.
/// </remarks>
public sealed class PostgresMemberJournal(NpgsqlDataSource database) : IMemberJournal
{
    /// <summary>
    /// Traces a group's commit. A group of one is a step of its caller's trace; a larger one belongs to no single
    /// request, so it is its own trace, linked to every request it carries.
    /// </summary>
    public const string ActivitySourceName = "MedSpa.MemberJournal";

    private static readonly ActivitySource Tracing = new(ActivitySourceName);

    /// <summary>Groups in flight at once. More only splits the queue into smaller groups; fewer lets one slow commit hold everyone.</summary>
    private const int Writers = 4;

    /// <summary>Bounds one statement's size; a group never splits an append, so a larger append still goes, alone.</summary>
    private const int EventsPerGroup = 500;

    private const string Insert =
        "INSERT INTO member_events (member_id, seq, event_type, payload, idempotency_key, occurred_at) "
        + "SELECT member_id, seq, event_type, payload::jsonb, idempotency_key, occurred_at "
        + "FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::timestamptz[]) "
        + "AS e(member_id, seq, event_type, payload, idempotency_key, occurred_at)";

    private readonly Lock _lock = new();
    private readonly Queue<PendingAppend> _queue = new();
    private int _writing;

    public async Task<IReadOnlyList<JournalEntry>> ReadAsync(string memberId, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(
            "SELECT seq, event_type, payload::text FROM member_events WHERE member_id = $1 ORDER BY seq");
        command.Parameters.Add(new NpgsqlParameter { Value = memberId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<JournalEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(JournalEntry.Read(memberId, reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
        }

        return entries;
    }

    /// <remarks>
    /// <paramref name="cancellationToken"/> is honoured until the append is queued: once it may be in a group on
    /// the wire, the caller hears how it ended, like everyone else in the group.
    /// </remarks>
    public Task<bool> AppendAsync(string memberId, long expectedLength, IReadOnlyList<MemberEvent> events, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (events.Count == 0)
        {
            return Task.FromResult(true);
        }

        var append = new PendingAppend(memberId, expectedLength, events);
        bool startWriter;
        lock (_lock)
        {
            _queue.Enqueue(append);
            startWriter = _writing < Writers;
            if (startWriter)
            {
                _writing++;
            }
        }

        // Off the caller's scheduler and out of its trace: a writer serves every grain, so it must neither run on the
        // activation that started it nor report its later groups as that request's work.
        if (startWriter)
        {
            using (ExecutionContext.SuppressFlow())
            {
                _ = Task.Run(WriteWhileQueuedAsync, CancellationToken.None);
            }
        }

        return append.Outcome.Task;
    }

    /// <summary>
    /// Writes groups until the queue is empty. A writer leaves only under the lock that appends queue under, so an
    /// append either finds a writer that will still look at the queue or starts one.
    /// </summary>
    private async Task WriteWhileQueuedAsync()
    {
        while (true)
        {
            var group = new List<PendingAppend>();
            lock (_lock)
            {
                var events = 0;
                while (_queue.TryPeek(out var next) && (group.Count == 0 || events + next.Rows.Count <= EventsPerGroup))
                {
                    group.Add(_queue.Dequeue());
                    events += next.Rows.Count;
                }

                if (group.Count == 0)
                {
                    _writing--;
                    return;
                }
            }

            using (var commit = group.Count == 1
                ? Tracing.StartActivity("member_events append", ActivityKind.Internal, group[0].Caller)
                : Tracing.StartActivity("member_events group commit", ActivityKind.Internal, parentContext: default,
                    links: group.Select(a => new ActivityLink(a.Caller))))
            {
                commit?.SetTag("medspa.journal.appends", group.Count);
                await WriteAsync(group);
            }
        }
    }

    private async Task WriteAsync(IReadOnlyList<PendingAppend> group)
    {
        try
        {
            await InsertAsync(group);
            foreach (var append in group)
            {
                append.Outcome.TrySetResult(true);
            }
        }
        catch (PostgresException e) when (group.Count > 1 && RefusedByTheInsert(e))
        {
            // The insert itself was refused, so the group's transaction is rolled back and nothing of it was
            // written: each append goes again alone and hears its own answer.
            foreach (var append in group)
            {
                await WriteAsync([append]);
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Another writer appended first (same seq), or the fact is already recorded (same idempotency key):
            // the caller re-reads the log and decides again.
            group[0].Outcome.TrySetResult(false);
        }
        catch (Exception e)
        {
            // A connection lost or a server going away mid-group: whether the group committed is unknown, so nobody
            // is told it did not, and nothing is sent again on their behalf.
            foreach (var append in group)
            {
                append.Outcome.TrySetException(e);
            }
        }
    }

    /// <summary>
    /// An integrity or data error is raised by the statement, before anything commits, so the group can safely go
    /// again; any other error could come after the commit, and is only reported.
    /// </summary>
    private static bool RefusedByTheInsert(PostgresException e) =>
        e.SqlState.StartsWith("23", StringComparison.Ordinal) || e.SqlState.StartsWith("22", StringComparison.Ordinal);

    private async Task InsertAsync(IReadOnlyList<PendingAppend> group)
    {
        var rows = group.SelectMany(a => a.Rows).ToList();
        await using var command = database.CreateCommand(Insert);
        command.Parameters.Add(Column(rows, r => r.MemberId, NpgsqlDbType.Text));
        command.Parameters.Add(Column(rows, r => r.Seq, NpgsqlDbType.Bigint));
        command.Parameters.Add(Column(rows, r => r.Type, NpgsqlDbType.Text));
        command.Parameters.Add(Column(rows, r => r.Payload, NpgsqlDbType.Text));
        command.Parameters.Add(Column(rows, r => r.IdempotencyKey, NpgsqlDbType.Text));
        command.Parameters.Add(Column(rows, r => r.OccurredAt, NpgsqlDbType.TimestampTz));
        await command.ExecuteNonQueryAsync();
    }

    private static NpgsqlParameter Column<T>(List<Row> rows, Func<Row, T> value, NpgsqlDbType type) =>
        new() { Value = rows.ConvertAll(r => value(r)).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | type };

    private sealed record Row(string MemberId, long Seq, string Type, string Payload, string? IdempotencyKey, DateTimeOffset OccurredAt);

    /// <summary>An append waiting for its group, already encoded, so an event that cannot be encoded fails only its own append.</summary>
    private sealed class PendingAppend(string memberId, long expectedLength, IReadOnlyList<MemberEvent> events)
    {
        public List<Row> Rows { get; } = events
            .Select((e, i) => new Row(memberId, expectedLength + i + 1, MemberEventJson.TypeOf(e), MemberEventJson.Serialize(e),
                MemberEventJson.IdempotencyKey(e), e.OccurredAt.ToUniversalTime()))
            .ToList();

        /// <summary>The trace the append was made in, if any.</summary>
        public ActivityContext Caller { get; } = Activity.Current?.Context ?? default;

        /// <summary>Completed from a writer; the appender's continuation must not run on it.</summary>
        public TaskCompletionSource<bool> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
