using MedSpa.Members;
using Npgsql;
using NpgsqlTypes;

namespace MedSpa.Grains.Members;

/// <summary>The member log in PostgreSQL's <c>member_events</c> (see db/010): one row per event, never updated.</summary>
public sealed class PostgresMemberJournal(NpgsqlDataSource database) : IMemberJournal
{
    public async Task<IReadOnlyList<JournalEntry>> ReadAsync(string memberId, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(
            "SELECT seq, event_type, payload::text FROM member_events WHERE member_id = $1 ORDER BY seq");
        command.Parameters.Add(new NpgsqlParameter { Value = memberId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<JournalEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var payload = reader.GetString(2);
            entries.Add(new JournalEntry(reader.GetInt64(0), MemberEventJson.Deserialize(payload), reader.GetString(1), payload));
        }

        return entries;
    }

    public async Task<bool> AppendAsync(string memberId, long expectedLength, IReadOnlyList<MemberEvent> events, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var insert = new NpgsqlBatchCommand(
                "INSERT INTO member_events (member_id, seq, event_type, payload, idempotency_key, occurred_at) VALUES ($1, $2, $3, $4, $5, $6)");
            insert.Parameters.Add(new NpgsqlParameter { Value = memberId });
            insert.Parameters.Add(new NpgsqlParameter { Value = expectedLength + i + 1 });
            insert.Parameters.Add(new NpgsqlParameter { Value = MemberEventJson.TypeOf(e) });
            insert.Parameters.Add(new NpgsqlParameter { Value = MemberEventJson.Serialize(e), NpgsqlDbType = NpgsqlDbType.Jsonb });
            insert.Parameters.Add(new NpgsqlParameter { Value = (object?)MemberEventJson.IdempotencyKey(e) ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            insert.Parameters.Add(new NpgsqlParameter { Value = e.OccurredAt.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
            batch.BatchCommands.Add(insert);
        }

        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Another writer appended first (same seq), or the fact is already recorded (same idempotency key):
            // the caller re-reads the log and decides again.
            return false;
        }
    }
}
