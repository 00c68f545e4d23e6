using System.Text.Json;
using MedSpa.Domain.Reporting;
using Npgsql;
using NpgsqlTypes;

namespace MedSpa.Grains.Reporting;

/// <summary>
/// Adds a <see cref="ReportBatch"/> to the projection tables (db/040): the day tables by adding to what is there, the
/// per-client tables by replacing each client's rows. Each table is one statement over arrays, whatever the batch size.
/// </summary>
public static class ReportWriter
{
    public static async Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ReportBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await using var commands = new NpgsqlBatch(connection, transaction);
        AddMembership(commands, batch);
        AddChurnReasons(commands, batch);
        AddCredits(commands, batch);
        AddDeferred(commands, batch);
        AddRevenue(commands, batch);
        AddClients(commands, batch);
        AddPlanMoves(commands, batch);
        ReplaceMembers(commands, batch);
        await commands.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddMembership(NpgsqlBatch commands, ReportBatch batch)
    {
        var rows = batch.Membership.ToList();
        var columns = Enum.GetNames<MembershipMeasure>().Select(JsonNamingPolicy.SnakeCaseLower.ConvertName).ToArray();
        var command = Command(commands, $"""
            INSERT INTO report_membership_daily (day, plan_id, plan_version, location_id, {string.Join(", ", columns)})
            SELECT * FROM unnest($1::date[], $2::text[], $3::int[], $4::text[], {string.Join(", ", columns.Select((_, i) => $"${i + 5}::bigint[]"))})
            ON CONFLICT (day, plan_id, plan_version, location_id) DO UPDATE SET
            {string.Join(", ", columns.Select(c => $"{c} = report_membership_daily.{c} + EXCLUDED.{c}"))}
            """);
        AddTier(command, rows.Select(r => r.Key).ToList());
        for (var i = 0; i < columns.Length; i++)
        {
            command.Parameters.Add(Array(rows.Select(r => r.Value[i]).ToArray()));
        }
    }

    private static void AddChurnReasons(NpgsqlBatch commands, ReportBatch batch)
    {
        var rows = batch.ChurnReasons.ToList();
        var command = Command(commands, """
            INSERT INTO report_churn_reasons (day, plan_id, plan_version, location_id, reason, involuntary, cancelled)
            SELECT * FROM unnest($1::date[], $2::text[], $3::int[], $4::text[], $5::text[], $6::boolean[], $7::bigint[])
            ON CONFLICT (day, plan_id, plan_version, location_id, reason, involuntary) DO UPDATE SET
            cancelled = report_churn_reasons.cancelled + EXCLUDED.cancelled
            """);
        AddTier(command, rows.Select(r => r.Key.At).ToList());
        command.Parameters.Add(Array(rows.Select(r => r.Key.Reason).ToArray()));
        command.Parameters.Add(Array(rows.Select(r => r.Key.Involuntary).ToArray()));
        command.Parameters.Add(Array(rows.Select(r => r.Value).ToArray()));
    }

    private static void AddCredits(NpgsqlBatch commands, ReportBatch batch)
    {
        var rows = batch.Credits.ToList();
        var command = Command(commands, """
            INSERT INTO report_credits_daily (day, plan_id, plan_version, location_id, benefit_key, kind, allocated, redeemed, expired, adjusted)
            SELECT * FROM unnest($1::date[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[])
            ON CONFLICT (day, plan_id, plan_version, location_id, benefit_key, kind) DO UPDATE SET
            allocated = report_credits_daily.allocated + EXCLUDED.allocated,
            redeemed = report_credits_daily.redeemed + EXCLUDED.redeemed,
            expired = report_credits_daily.expired + EXCLUDED.expired,
            adjusted = report_credits_daily.adjusted + EXCLUDED.adjusted
            """);
        AddTier(command, rows.Select(r => r.Key.At).ToList());
        command.Parameters.Add(Array(rows.Select(r => r.Key.BenefitKey).ToArray()));
        command.Parameters.Add(Array(rows.Select(r => r.Key.Kind).ToArray()));
        foreach (var measure in Enum.GetValues<CreditMeasure>())
        {
            command.Parameters.Add(Array(rows.Select(r => r.Value[(int)measure]).ToArray()));
        }
    }

    private static void AddDeferred(NpgsqlBatch commands, ReportBatch batch)
    {
        var rows = batch.Deferred.ToList();
        var command = Command(commands, """
            INSERT INTO report_deferred_daily (day, plan_id, plan_version, location_id, fixed, slope)
            SELECT * FROM unnest($1::date[], $2::text[], $3::int[], $4::text[], $5::numeric[], $6::numeric[])
            ON CONFLICT (day, plan_id, plan_version, location_id) DO UPDATE SET
            fixed = report_deferred_daily.fixed + EXCLUDED.fixed,
            slope = report_deferred_daily.slope + EXCLUDED.slope
            """);
        AddTier(command, rows.Select(r => r.Key).ToList());
        command.Parameters.Add(Array(rows.Select(r => r.Value.Fixed).ToArray()));
        command.Parameters.Add(Array(rows.Select(r => r.Value.Slope).ToArray()));
    }

    private static void AddRevenue(NpgsqlBatch commands, ReportBatch batch)
    {
        var rows = batch.Revenue.ToList();
        var command = Command(commands, """
            INSERT INTO report_revenue_daily (day, location_id, client_kind, revenue_key, amount)
            SELECT * FROM unnest($1::date[], $2::text[], $3::text[], $4::text[], $5::bigint[])
            ON CONFLICT (day, location_id, client_kind, revenue_key) DO UPDATE SET
            amount = report_revenue_daily.amount + EXCLUDED.amount
            """);
        command.Parameters.Add(Array(rows.Select(r => r.Key.Day).ToArray()));
        command.Parameters.Add(Array(rows.Select(r => r.Key.LocationId).ToArray()));
        command.Parameters.Add(Array(rows.Select(r => r.Key.ClientKind).ToArray()));
        command.Parameters.Add(Array(rows.Select(r => r.Key.Key).ToArray()));
        command.Parameters.Add(Array(rows.Select(r => r.Value).ToArray()));
    }

    private static void AddClients(NpgsqlBatch commands, ReportBatch batch)
    {
        var rows = batch.Clients.ToList();
        var command = Command(commands, """
            INSERT INTO report_clients_monthly (month, location_id, client_kind, clients)
            SELECT * FROM unnest($1::date[], $2::text[], $3::text[], $4::bigint[])
            ON CONFLICT (month, location_id, client_kind) DO UPDATE SET
            clients = report_clients_monthly.clients + EXCLUDED.clients
            """);
        command.Parameters.Add(Array(rows.Select(r => r.Key.Month).ToArray()));
        command.Parameters.Add(Array(rows.Select(r => r.Key.LocationId).ToArray()));
        command.Parameters.Add(Array(rows.Select(r => r.Key.ClientKind).ToArray()));
        command.Parameters.Add(Array(rows.Select(r => r.Value).ToArray()));
    }

    private static void AddPlanMoves(NpgsqlBatch commands, ReportBatch batch)
    {
        var rows = batch.PlanMoves.ToList();
        var command = Command(commands, """
            INSERT INTO report_plan_moves (day, location_id, from_plan, from_version, to_plan, to_version, direction, moves)
            SELECT * FROM unnest($1::date[], $2::text[], $3::text[], $4::int[], $5::text[], $6::int[], $7::text[], $8::bigint[])
            ON CONFLICT (day, location_id, from_plan, from_version, to_plan, to_version, direction) DO UPDATE SET
            moves = report_plan_moves.moves + EXCLUDED.moves
            """);
        command.Parameters.Add(Array(rows.Select(r => r.Key.Day).ToArray()));
        command.Parameters.Add(Array(rows.Select(r => r.Key.LocationId).ToArray()));
        command.Parameters.Add(Array(rows.Select(r => r.Key.FromPlan).ToArray()));
        command.Parameters.Add(Array(rows.Select(r => r.Key.FromVersion).ToArray()));
        command.Parameters.Add(Array(rows.Select(r => r.Key.ToPlan).ToArray()));
        command.Parameters.Add(Array(rows.Select(r => r.Key.ToVersion).ToArray()));
        command.Parameters.Add(Array(rows.Select(r => r.Key.Direction).ToArray()));
        command.Parameters.Add(Array(rows.Select(r => r.Value).ToArray()));
    }

    private static void ReplaceMembers(NpgsqlBatch commands, ReportBatch batch)
    {
        var members = batch.Members;
        var ids = members.Select(m => m.MemberId).ToArray();
        var upsert = Command(commands, """
            INSERT INTO report_members (member_id, last_seq, name, email, location_id, plan_id, plan_version, status, time_zone, card_expires)
            SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[], $9::text[], $10::date[])
            ON CONFLICT (member_id) DO UPDATE SET
            last_seq = EXCLUDED.last_seq, name = EXCLUDED.name, email = EXCLUDED.email, location_id = EXCLUDED.location_id,
            plan_id = EXCLUDED.plan_id, plan_version = EXCLUDED.plan_version, status = EXCLUDED.status, time_zone = EXCLUDED.time_zone,
            card_expires = EXCLUDED.card_expires
            """);
        upsert.Parameters.Add(Array(ids));
        upsert.Parameters.Add(Array(members.Select(m => m.LastSeq).ToArray()));
        upsert.Parameters.Add(Array(members.Select(m => m.Name).ToArray()));
        upsert.Parameters.Add(Array(members.Select(m => m.Email).ToArray()));
        upsert.Parameters.Add(Array(members.Select(m => m.LocationId).ToArray()));
        upsert.Parameters.Add(Array(members.Select(m => m.PlanId).ToArray()));
        upsert.Parameters.Add(Array(members.Select(m => m.PlanVersion).ToArray()));
        upsert.Parameters.Add(Array(members.Select(m => m.Status).ToArray()));
        upsert.Parameters.Add(Array(members.Select(m => m.TimeZone).ToArray()));
        upsert.Parameters.Add(Array(members.Select(m => m.CardExpires).ToArray()));

        Command(commands, "DELETE FROM report_lots WHERE member_id = ANY($1)").Parameters.Add(Array(ids));
        var lots = members.SelectMany(m => m.OpenLots.Select(l => (m.MemberId, Lot: l))).ToList();
        var insertLots = Command(commands, """
            INSERT INTO report_lots (member_id, lot_id, benefit_key, granted, remaining, expires_at)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::timestamptz[])
            """);
        insertLots.Parameters.Add(Array(lots.Select(l => l.MemberId).ToArray()));
        insertLots.Parameters.Add(Array(lots.Select(l => l.Lot.LotId).ToArray()));
        insertLots.Parameters.Add(Array(lots.Select(l => l.Lot.BenefitKey).ToArray()));
        insertLots.Parameters.Add(Array(lots.Select(l => l.Lot.Granted).ToArray()));
        insertLots.Parameters.Add(Array(lots.Select(l => l.Lot.Remaining).ToArray()));
        insertLots.Parameters.Add(Array(lots.Select(l => l.Lot.ExpiresAt?.ToUniversalTime()).ToArray()));

        Command(commands, "DELETE FROM report_visits WHERE member_id = ANY($1)").Parameters.Add(Array(ids));
        var visits = members.SelectMany(m => m.Visits.Select(v => (m.MemberId, Day: v.Key, Count: v.Value))).ToList();
        var insertVisits = Command(commands, """
            INSERT INTO report_visits (member_id, day, visits)
            SELECT * FROM unnest($1::text[], $2::date[], $3::int[])
            """);
        insertVisits.Parameters.Add(Array(visits.Select(v => v.MemberId).ToArray()));
        insertVisits.Parameters.Add(Array(visits.Select(v => v.Day).ToArray()));
        insertVisits.Parameters.Add(Array(visits.Select(v => v.Count).ToArray()));
    }

    private static void AddTier(NpgsqlBatchCommand command, IReadOnlyList<TierDay> keys)
    {
        command.Parameters.Add(Array(keys.Select(k => k.Day).ToArray()));
        command.Parameters.Add(Array(keys.Select(k => k.PlanId).ToArray()));
        command.Parameters.Add(Array(keys.Select(k => k.PlanVersion).ToArray()));
        command.Parameters.Add(Array(keys.Select(k => k.LocationId).ToArray()));
    }

    private static NpgsqlBatchCommand Command(NpgsqlBatch batch, string sql)
    {
        var command = new NpgsqlBatchCommand(sql);
        batch.BatchCommands.Add(command);
        return command;
    }

    private static NpgsqlParameter Array<T>(T[] values) => new() { Value = values };

}
