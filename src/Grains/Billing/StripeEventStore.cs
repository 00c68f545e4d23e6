using Npgsql;
using NpgsqlTypes;

namespace MedSpa.Grains.Billing;

public enum StripeEventClaim
{
    /// <summary>This delivery handles the event now; it must then <see cref="IStripeEventStore.CompleteAsync"/> or <see cref="IStripeEventStore.ReleaseAsync"/>.</summary>
    Claimed,

    AlreadyProcessed,

    /// <summary>Another delivery holds the event (and its lease has not run out).</summary>
    InProgress,
}

/// <summary>
/// Which Stripe events have been handled, by event id, so each is handled once however often Stripe delivers it.
/// A claim that is neither completed nor released (the process died mid-way) lapses after a lease, so Stripe's
/// redelivery can take it over.
/// </summary>
public interface IStripeEventStore
{
    Task<StripeEventClaim> ClaimAsync(string eventId, string type, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken = default);

    Task CompleteAsync(string eventId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Forgets a claim whose handling failed, so the next delivery handles the event afresh.</summary>
    Task ReleaseAsync(string eventId, CancellationToken cancellationToken = default);
}

/// <summary>For <c>Storage:Mode=Memory</c>: the same rules, in this process only.</summary>
public sealed class InMemoryStripeEventStore : IStripeEventStore
{
    private readonly Dictionary<string, (DateTimeOffset ReceivedAt, DateTimeOffset? ProcessedAt)> _events = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public Task<StripeEventClaim> ClaimAsync(string eventId, string type, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_events.TryGetValue(eventId, out var known))
            {
                if (known.ProcessedAt is not null)
                {
                    return Task.FromResult(StripeEventClaim.AlreadyProcessed);
                }

                if (known.ReceivedAt >= now - lease)
                {
                    return Task.FromResult(StripeEventClaim.InProgress);
                }
            }

            _events[eventId] = (now, null);
            return Task.FromResult(StripeEventClaim.Claimed);
        }
    }

    public Task CompleteAsync(string eventId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _events[eventId] = (_events.TryGetValue(eventId, out var known) ? known.ReceivedAt : now, now);
        }

        return Task.CompletedTask;
    }

    public Task ReleaseAsync(string eventId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_events.TryGetValue(eventId, out var known) && known.ProcessedAt is null)
            {
                _events.Remove(eventId);
            }
        }

        return Task.CompletedTask;
    }
}

/// <summary>PostgreSQL's <c>stripe_events</c> (db/020): the primary key on the event id makes the claim atomic across silos.</summary>
public sealed class PostgresStripeEventStore(NpgsqlDataSource database) : IStripeEventStore
{
    public async Task<StripeEventClaim> ClaimAsync(string eventId, string type, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        // Insert-if-absent; an unfinished claim older than the lease is taken over (its holder is presumed dead).
        await using (var claim = database.CreateCommand("""
            INSERT INTO stripe_events (event_id, type, received_at) VALUES ($1, $2, $3)
            ON CONFLICT (event_id) DO UPDATE SET received_at = EXCLUDED.received_at
                WHERE stripe_events.processed_at IS NULL AND stripe_events.received_at < $4
            RETURNING event_id
            """))
        {
            claim.Parameters.Add(new NpgsqlParameter { Value = eventId });
            claim.Parameters.Add(new NpgsqlParameter { Value = type });
            claim.Parameters.Add(new NpgsqlParameter { Value = now.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
            claim.Parameters.Add(new NpgsqlParameter { Value = (now - lease).ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
            if (await claim.ExecuteScalarAsync(cancellationToken) is not null)
            {
                return StripeEventClaim.Claimed;
            }
        }

        await using var known = database.CreateCommand("SELECT processed_at IS NOT NULL FROM stripe_events WHERE event_id = $1");
        known.Parameters.Add(new NpgsqlParameter { Value = eventId });
        // Gone since (released by a failed handler): Stripe retries, and the retry claims it.
        return await known.ExecuteScalarAsync(cancellationToken) is true ? StripeEventClaim.AlreadyProcessed : StripeEventClaim.InProgress;
    }

    public async Task CompleteAsync(string eventId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand("UPDATE stripe_events SET processed_at = $2 WHERE event_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = eventId });
        command.Parameters.Add(new NpgsqlParameter { Value = now.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ReleaseAsync(string eventId, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand("DELETE FROM stripe_events WHERE event_id = $1 AND processed_at IS NULL");
        command.Parameters.Add(new NpgsqlParameter { Value = eventId });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
