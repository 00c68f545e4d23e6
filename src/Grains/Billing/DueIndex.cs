using Npgsql;
using NpgsqlTypes;

namespace MedSpa.Grains.Billing;

/// <summary>
/// The due index (<c>member_due</c>, db/010): for each member with billing work ahead, the instant it next falls due.
/// Orleans never replays a reminder tick that a clock jump or an outage skipped, so the simulated clock's advance and
/// the billing sweep read this index to wake every due member, in due order, without activating the others.
/// </summary>
public interface IDueIndex
{
    /// <summary>Records when <paramref name="memberId"/> next has work; null removes it from the index.</summary>
    Task SetAsync(string memberId, DateTimeOffset? dueAt, CancellationToken cancellationToken = default);

    /// <summary>Members due at or before <paramref name="instant"/>, earliest first.</summary>
    Task<IReadOnlyList<string>> DueByAsync(DateTimeOffset instant, int limit, CancellationToken cancellationToken = default);

    /// <summary>The earliest due instant strictly after <paramref name="instant"/>, or null when nothing is due later.</summary>
    Task<DateTimeOffset?> NextAfterAsync(DateTimeOffset instant, CancellationToken cancellationToken = default);
}

public sealed class PostgresDueIndex(NpgsqlDataSource database) : IDueIndex
{
    public async Task SetAsync(string memberId, DateTimeOffset? dueAt, CancellationToken cancellationToken = default)
    {
        await using var command = dueAt is { } at
            ? database.CreateCommand("""
                INSERT INTO member_due (member_id, due_at) VALUES ($1, $2)
                ON CONFLICT (member_id) DO UPDATE SET due_at = EXCLUDED.due_at, updated_at = now()
                """)
            : database.CreateCommand("DELETE FROM member_due WHERE member_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = memberId });
        if (dueAt is { } instant)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = instant.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<string>> DueByAsync(DateTimeOffset instant, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(
            "SELECT member_id FROM member_due WHERE due_at <= $1 ORDER BY due_at, member_id LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter { Value = instant.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var members = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            members.Add(reader.GetString(0));
        }

        return members;
    }

    public async Task<DateTimeOffset?> NextAfterAsync(DateTimeOffset instant, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand("SELECT min(due_at) FROM member_due WHERE due_at > $1");
        command.Parameters.Add(new NpgsqlParameter { Value = instant.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime utc
            ? new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc))
            : null;
    }
}

/// <summary>The due index for <c>Storage:Mode=Memory</c>.</summary>
public sealed class InMemoryDueIndex : IDueIndex
{
    private readonly Dictionary<string, DateTimeOffset> _due = [];
    private readonly Lock _lock = new();

    public Task SetAsync(string memberId, DateTimeOffset? dueAt, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (dueAt is { } at)
            {
                _due[memberId] = at;
            }
            else
            {
                _due.Remove(memberId);
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> DueByAsync(DateTimeOffset instant, int limit, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<string> due = _due.Where(d => d.Value <= instant)
                .OrderBy(d => d.Value).ThenBy(d => d.Key, StringComparer.Ordinal)
                .Take(limit).Select(d => d.Key).ToList();
            return Task.FromResult(due);
        }
    }

    public Task<DateTimeOffset?> NextAfterAsync(DateTimeOffset instant, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var later = _due.Values.Where(at => at > instant).ToList();
            return Task.FromResult(later.Count == 0 ? (DateTimeOffset?)null : later.Min());
        }
    }
}
