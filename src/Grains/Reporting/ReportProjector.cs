using System.Globalization;
using MedSpa.Domain.Reporting;
using MedSpa.Grains.Members;
using MedSpa.Reporting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace MedSpa.Grains.Reporting;

/// <summary>
/// Folds the member log into the projection. A run reads only events of transactions older than every transaction
/// still running (PostgreSQL's snapshot xmin), so an event committed late is never skipped, and moves the checkpoint
/// there in the same transaction as the figures, so a crash mid-run adds nothing. Each client's own row says how much
/// of their log is in already, which makes folding an event twice impossible even when runs overlap.
/// </summary>
/// <remarks>
/// A client whose log cannot be read or folded adds nothing and is logged as an error with their id; the run goes on
/// for everyone else (one such client used to fail every run, and so every report). Their figures stay as last folded
/// until the log is repaired and the projection rebuilt.
/// </remarks>
public sealed partial class ReportProjector(NpgsqlDataSource database, ILogger<ReportProjector>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<ReportProjector>.Instance;

    /// <summary>Clients folded per round trip: their whole logs are read at once.</summary>
    private const int MembersPerBatch = 500;

    private static readonly string[] ProjectionTables =
    [
        "report_members", "report_membership_daily", "report_churn_reasons", "report_credits_daily", "report_deferred_daily",
        "report_revenue_daily", "report_clients_monthly", "report_plan_moves", "report_lots", "report_visits",
    ];

    public async Task<ProjectionRun> RunAsync(bool rebuild, Func<string, TimeZoneInfo?> locationZone, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var from = await ScalarAsync<string>(connection, transaction, "SELECT tx_horizon::text FROM report_checkpoint WHERE id = 1 FOR UPDATE", cancellationToken);
        if (rebuild)
        {
            await ClearAsync(connection, transaction, cancellationToken);
            from = "0";
        }

        var horizon = await ScalarAsync<string>(connection, transaction, "SELECT pg_snapshot_xmin(pg_current_snapshot())::text", cancellationToken);
        var touched = await TouchedAsync(connection, transaction, from, horizon, cancellationToken);

        long events = 0;
        foreach (var chunk in touched.Chunk(MembersPerBatch))
        {
            var batch = await FoldAsync(connection, transaction, chunk, locationZone, _logger, cancellationToken);
            await ReportWriter.WriteAsync(connection, transaction, batch, cancellationToken);
            events += batch.Events;
        }

        await using (var checkpoint = new NpgsqlCommand(
            $"UPDATE report_checkpoint SET tx_horizon = $1::xid8, updated_at = now(){(rebuild ? ", rebuilt_at = now()" : "")} WHERE id = 1",
            connection, transaction))
        {
            checkpoint.Parameters.Add(new NpgsqlParameter { Value = horizon });
            await checkpoint.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new ProjectionRun(touched.Count, events, rebuild);
    }

    /// <summary>
    /// Throws the projection away without folding it again: the next run (a silo's timer, or the next report request)
    /// folds the whole log, in one transaction, so no report ever reads a half-built projection.
    /// </summary>
    public async Task ResetAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, "SELECT 1 FROM report_checkpoint WHERE id = 1 FOR UPDATE", cancellationToken);
        await ClearAsync(connection, transaction, cancellationToken);
        await ExecuteAsync(connection, transaction, "UPDATE report_checkpoint SET tx_horizon = '0', updated_at = now() WHERE id = 1", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static Task ClearAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, $"TRUNCATE {string.Join(", ", ProjectionTables)}", cancellationToken);

    private static async Task<List<string>> TouchedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string from, string horizon, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT DISTINCT member_id FROM member_events WHERE tx_id >= $1::xid8 AND tx_id < $2::xid8 ORDER BY member_id", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = from });
        command.Parameters.Add(new NpgsqlParameter { Value = horizon });
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>Folds each client's whole log; only events past their <c>last_seq</c> add to the batch.</summary>
    private static async Task<ReportBatch> FoldAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string[] memberIds, Func<string, TimeZoneInfo?> locationZone, ILogger logger,
        CancellationToken cancellationToken)
    {
        var projected = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var seen = new NpgsqlCommand("SELECT member_id, last_seq FROM report_members WHERE member_id = ANY($1)", connection, transaction))
        {
            seen.Parameters.Add(new NpgsqlParameter { Value = memberIds });
            await using var reader = await seen.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                projected[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        var batch = new ReportBatch();
        await using var read = new NpgsqlCommand(
            "SELECT member_id, seq, payload::text FROM member_events WHERE member_id = ANY($1) ORDER BY member_id, seq", connection, transaction);
        read.Parameters.Add(new NpgsqlParameter { Value = memberIds });
        await using var events = await read.ExecuteReaderAsync(cancellationToken);
        string? currentId = null;
        var log = new List<(long Seq, string Payload)>();
        while (await events.ReadAsync(cancellationToken))
        {
            var memberId = events.GetString(0);
            if (memberId != currentId)
            {
                Project(currentId, log);
                currentId = memberId;
                log = [];
            }

            log.Add((events.GetInt64(1), events.GetString(2)));
        }

        Project(currentId, log);
        return batch;

        // Each client is folded into a batch of their own, added to the run's only once their whole log has folded.
        void Project(string? memberId, List<(long Seq, string Payload)> stored)
        {
            if (memberId is null)
            {
                return;
            }

            var own = new ReportBatch();
            try
            {
                var projection = new ReportProjection(memberId, projected.GetValueOrDefault(memberId), locationZone);
                foreach (var (seq, payload) in stored)
                {
                    projection.Fold(seq, MemberEventJson.Deserialize(payload), own);
                }

                if (projection.Row() is { } row)
                {
                    own.Members.Add(row);
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogLeftOut(logger, e, memberId);
                return;
            }

            batch.AddFrom(own);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Left {MemberId} out of the reports: their log cannot be read or folded")]
    private static partial void LogLeftOut(ILogger logger, Exception exception, string memberId);

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync(cancellationToken))!, typeof(T), CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
