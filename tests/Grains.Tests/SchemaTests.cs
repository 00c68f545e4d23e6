using MedSpa.Silo.Database;
using MedSpa.Tests;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace MedSpa.Grains.Tests;

public sealed class SchemaTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _dataSource = NpgsqlDataSource.Create(_database.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await _database.DisposeAsync();
    }

    private Schema Schema => new(_dataSource, NullLogger<Schema>.Instance);

    [Fact]
    public async Task Applying_the_schema_twice_changes_nothing()
    {
        await Schema.ApplyAsync(CancellationToken.None);
        var first = await FingerprintAsync();

        await Schema.ApplyAsync(CancellationToken.None);

        Assert.Equal(first, await FingerprintAsync());
        Assert.Contains("member_events", first);
        Assert.Contains("member_due", first);
    }

    [Fact]
    public async Task Members_enrolled_before_the_due_index_are_made_due_once_so_the_sweep_reaches_them()
    {
        await Schema.ApplyAsync(CancellationToken.None);
        // A database as it was before the backfill existed: an enrolled member, no due row, no marker.
        await _database.ExecuteAsync("DELETE FROM medspa_migrations");
        await _database.ExecuteAsync("""
            INSERT INTO member_events (member_id, seq, event_type, payload, occurred_at)
            VALUES ('mem_legacy', 1, 'member_enrolled', '{}'::jsonb, now())
            """);

        await Schema.ApplyAsync(CancellationToken.None);
        Assert.Equal(1, await _database.ScalarAsync<long>("SELECT count(*) FROM member_due WHERE member_id = 'mem_legacy' AND due_at <= now()"));

        // Once woken, the grain removes the row when nothing is scheduled; later starts do not put it back.
        await _database.ExecuteAsync("DELETE FROM member_due");
        await Schema.ApplyAsync(CancellationToken.None);
        Assert.Equal(0, await _database.ScalarAsync<long>("SELECT count(*) FROM member_due"));
    }

    [Fact]
    public async Task The_reporting_projection_folded_under_the_old_rules_is_emptied_once_so_it_is_folded_again()
    {
        await Schema.ApplyAsync(CancellationToken.None);
        // A database as it was before the lapse rules (050): a client folded in, the checkpoint moved on, no marker.
        await _database.ExecuteAsync("DELETE FROM medspa_migrations WHERE name = 'reports_refold_lapses'");
        await _database.ExecuteAsync(ProjectedClient);
        await _database.ExecuteAsync("UPDATE report_checkpoint SET tx_horizon = '1000' WHERE id = 1");

        await Schema.ApplyAsync(CancellationToken.None);
        Assert.Equal(0, await _database.ScalarAsync<long>("SELECT count(*) FROM report_members"));
        Assert.Equal("0", await _database.ScalarAsync<string>("SELECT tx_horizon::text FROM report_checkpoint"));

        // What the next catch-ups fold is kept by later starts.
        await _database.ExecuteAsync(ProjectedClient);
        await Schema.ApplyAsync(CancellationToken.None);
        Assert.Equal(1, await _database.ScalarAsync<long>("SELECT count(*) FROM report_members"));
    }

    private const string ProjectedClient = """
        INSERT INTO report_members (member_id, last_seq, name, email, location_id, plan_id, plan_version, status)
        VALUES ('mem_folded', 5, 'Ava Stone', 'ava@example.com', 'loc_1', 'plan_premium', 1, 'active')
        """;

    [Fact]
    public async Task Silos_starting_together_apply_it_safely()
    {
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Schema.ApplyAsync(CancellationToken.None)));

        Assert.Equal(ProviderQueryKeys.Length, await _database.ScalarAsync<long>(
            $"SELECT count(*) FROM OrleansQuery WHERE QueryKey IN ({string.Join(',', ProviderQueryKeys.Select(k => $"'{k}'"))})"));
    }

    /// <summary>Every named query Orleans 10.4.2's ADO.NET clustering, storage and reminder providers ask for.</summary>
    private static readonly string[] ProviderQueryKeys =
    [
        "UpdateIAmAlivetimeKey", "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey",
        "MembershipReadRowKey", "MembershipReadAllKey", "DeleteMembershipTableEntriesKey", "GatewaysQueryKey",
        "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey",
        "WriteToStorageKey", "ReadFromStorageKey", "ClearStorageKey", "DeleteStorageKey",
        "UpsertReminderRowKey", "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
        "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    [Fact]
    public async Task The_event_log_is_append_only_per_member_and_idempotent_by_key()
    {
        await Schema.ApplyAsync(CancellationToken.None);

        await AppendAsync("mem_a", 1, "k1");
        await AppendAsync("mem_a", 2, null);
        await AppendAsync("mem_b", 1, "k1");

        var duplicateSeq = await Assert.ThrowsAsync<PostgresException>(() => AppendAsync("mem_a", 2, "k2"));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, duplicateSeq.SqlState);
        var duplicateKey = await Assert.ThrowsAsync<PostgresException>(() => AppendAsync("mem_a", 3, "k1"));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, duplicateKey.SqlState);
        Assert.Equal(3L, await _database.ScalarAsync<long>("SELECT count(*) FROM member_events"));
    }

    private async Task AppendAsync(string member, long seq, string? idempotencyKey)
    {
        await using var command = _dataSource.CreateCommand(
            "INSERT INTO member_events (member_id, seq, event_type, payload, idempotency_key, occurred_at) VALUES ($1, $2, 'probe', '{}'::jsonb, $3, now())");
        command.Parameters.AddWithValue(member);
        command.Parameters.AddWithValue(seq);
        command.Parameters.AddWithValue((object?)idempotencyKey ?? DBNull.Value);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Tables, columns, indexes, functions and named queries, as one comparable text.</summary>
    private async Task<string> FingerprintAsync()
    {
        const string sql = """
            SELECT string_agg(line, E'\n' ORDER BY line) FROM (
              SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable AS line
                FROM information_schema.columns WHERE table_schema = 'public'
              UNION ALL SELECT 'index ' || indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
              UNION ALL SELECT 'function ' || p.proname || ' ' || md5(p.prosrc) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
              UNION ALL SELECT 'query ' || querykey || ' ' || md5(querytext) FROM orleansquery
              UNION ALL SELECT 'rows ' || count(*) FROM orleansquery
            ) lines
            """;
        return await _database.ScalarAsync<string>(sql) ?? "";
    }
}
