using MedSpa.Reporting;
using Npgsql;

namespace MedSpa.Grains.Reporting;

/// <summary>
/// The SQL over the projection. Every monthly figure joins the months of the range to the day rows up to each month's
/// last day in the range: a state is the sum of its changes up to then, a count the sum over the month's days in range.
/// </summary>
public sealed class ReportReader(NpgsqlDataSource database)
{
    /// <summary>Months of the range: the month, its first and its last day inside the range.</summary>
    private const string Months = """
        WITH months AS (
            SELECT m::date AS month,
                   GREATEST(m::date, $1::date) AS first_day,
                   LEAST((m + interval '1 month' - interval '1 day')::date, $2::date) AS last_day
            FROM generate_series(date_trunc('month', $1::date), date_trunc('month', $2::date), interval '1 month') AS m)
        """;

    /// <summary>The plan version column, or 0 for every version when tiers are plans.</summary>
    private static string Version(string table) => $"CASE WHEN $4 THEN {table}.plan_version ELSE 0 END";

    public record MembershipMonth(DateOnly Month, string PlanId, int Version, long Active, long Mrr, long PastDue, long Paused, long Suspended,
        long Joined, long Reactivated, long PausesStarted, long Suspensions, long CancelledVoluntary, long CancelledInvoluntary, long LiveAtStart);

    public Task<List<MembershipMonth>> MembershipAsync(ReportQuery query, CancellationToken cancellationToken = default) =>
        ReadAsync(query, $"""
            {Months}
            SELECT mo.month, d.plan_id, {Version("d")},
                   sum(d.active), sum(d.mrr), sum(d.past_due), sum(d.paused), sum(d.suspended),
                   coalesce(sum(d.joined) FILTER (WHERE d.day >= mo.first_day), 0),
                   coalesce(sum(d.reactivated) FILTER (WHERE d.day >= mo.first_day), 0),
                   coalesce(sum(d.pauses_started) FILTER (WHERE d.day >= mo.first_day), 0),
                   coalesce(sum(d.suspensions) FILTER (WHERE d.day >= mo.first_day), 0),
                   coalesce(sum(d.cancelled_voluntary) FILTER (WHERE d.day >= mo.first_day), 0),
                   coalesce(sum(d.cancelled_involuntary) FILTER (WHERE d.day >= mo.first_day), 0),
                   coalesce(sum(d.active + d.past_due + d.paused + d.suspended) FILTER (WHERE d.day < mo.first_day), 0)
            FROM months mo JOIN report_membership_daily d ON d.day <= mo.last_day
            WHERE $3::text IS NULL OR d.location_id = $3
            GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            """,
            r => new MembershipMonth(Day(r, 0), r.GetString(1), r.GetInt32(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6), r.GetInt64(7),
                r.GetInt64(8), r.GetInt64(9), r.GetInt64(10), r.GetInt64(11), r.GetInt64(12), r.GetInt64(13), r.GetInt64(14)),
            cancellationToken);

    public record ReasonMonth(DateOnly Month, string Reason, bool Involuntary, long Cancelled);

    public Task<List<ReasonMonth>> ChurnReasonsAsync(ReportQuery query, CancellationToken cancellationToken = default) =>
        ReadAsync(query, $"""
            {Months}
            SELECT mo.month, c.reason, c.involuntary, sum(c.cancelled)
            FROM months mo JOIN report_churn_reasons c ON c.day BETWEEN mo.first_day AND mo.last_day
            WHERE ($3::text IS NULL OR c.location_id = $3)
            GROUP BY 1, 2, 3 ORDER BY 1, 3, 2
            """,
            r => new ReasonMonth(Day(r, 0), r.GetString(1), r.GetBoolean(2), r.GetInt64(3)),
            cancellationToken);

    public record CreditMonth(DateOnly Month, string PlanId, int Version, string BenefitKey, string Kind, long Allocated, long Redeemed, long Expired, long Adjusted, long Open);

    public Task<List<CreditMonth>> CreditsAsync(ReportQuery query, CancellationToken cancellationToken = default) =>
        ReadAsync(query, $"""
            {Months}
            SELECT mo.month, c.plan_id, {Version("c")}, c.benefit_key, c.kind,
                   coalesce(sum(c.allocated) FILTER (WHERE c.day >= mo.first_day), 0),
                   coalesce(sum(c.redeemed) FILTER (WHERE c.day >= mo.first_day), 0),
                   coalesce(sum(c.expired) FILTER (WHERE c.day >= mo.first_day), 0),
                   coalesce(sum(c.adjusted) FILTER (WHERE c.day >= mo.first_day), 0),
                   sum(c.allocated - c.redeemed - c.expired + c.adjusted)
            FROM months mo JOIN report_credits_daily c ON c.day <= mo.last_day
            WHERE $3::text IS NULL OR c.location_id = $3
            GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
            """,
            r => new CreditMonth(Day(r, 0), r.GetString(1), r.GetInt32(2), r.GetString(3), r.GetString(4),
                r.GetInt64(5), r.GetInt64(6), r.GetInt64(7), r.GetInt64(8), r.GetInt64(9)),
            cancellationToken);

    /// <summary>The deferral lines summed up to each month's last day; the amount is <c>Fixed − LastDay·Slope</c>.</summary>
    /// <remarks>
    /// The sums are rounded to 10 decimal places: each line is a C# decimal with up to 28 digits, and PostgreSQL's exact
    /// sum of thousands of them has more digits than a decimal holds (Npgsql then throws). At 10 places the error in
    /// <c>LastDay·Slope</c> stays under a ten-thousandth of a cent, and both sums fit a decimal with room to spare.
    /// </remarks>
    public record DeferredMonth(DateOnly Month, DateOnly LastDay, string PlanId, int Version, decimal Fixed, decimal Slope);

    public Task<List<DeferredMonth>> DeferredAsync(ReportQuery query, CancellationToken cancellationToken = default) =>
        ReadAsync(query, $"""
            {Months}
            SELECT mo.month, mo.last_day, d.plan_id, {Version("d")}, round(sum(d.fixed), 10), round(sum(d.slope), 10)
            FROM months mo JOIN report_deferred_daily d ON d.day <= mo.last_day
            WHERE $3::text IS NULL OR d.location_id = $3
            GROUP BY 1, 2, 3, 4 ORDER BY 1, 3, 4
            """,
            r => new DeferredMonth(Day(r, 0), Day(r, 1), r.GetString(2), r.GetInt32(3), r.GetDecimal(4), r.GetDecimal(5)),
            cancellationToken);

    public record RevenueMonth(DateOnly Month, string ClientKind, string RevenueKey, long Amount);

    public Task<List<RevenueMonth>> RevenueAsync(ReportQuery query, CancellationToken cancellationToken = default) =>
        ReadAsync(query, $"""
            {Months}
            SELECT mo.month, r.client_kind, r.revenue_key, sum(r.amount)
            FROM months mo JOIN report_revenue_daily r ON r.day BETWEEN mo.first_day AND mo.last_day
            WHERE ($3::text IS NULL OR r.location_id = $3)
            GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            """,
            r => new RevenueMonth(Day(r, 0), r.GetString(1), r.GetString(2), r.GetInt64(3)),
            cancellationToken);

    public record ClientsMonth(DateOnly Month, string ClientKind, long Clients);

    public Task<List<ClientsMonth>> PayingClientsAsync(ReportQuery query, CancellationToken cancellationToken = default) =>
        ReadAsync(query, $"""
            {Months}
            SELECT mo.month, c.client_kind, sum(c.clients)
            FROM months mo JOIN report_clients_monthly c ON c.month = mo.month
            WHERE ($3::text IS NULL OR c.location_id = $3)
            GROUP BY 1, 2 ORDER BY 1, 2
            """,
            r => new ClientsMonth(Day(r, 0), r.GetString(1), r.GetInt64(2)),
            cancellationToken);

    public record PlanMove(string FromPlan, int FromVersion, string ToPlan, int ToVersion, string Direction, long Moves);

    public Task<List<PlanMove>> PlanMovesAsync(ReportQuery query, CancellationToken cancellationToken = default) =>
        ReadAsync(query, """
            SELECT m.from_plan, CASE WHEN $4 THEN m.from_version ELSE 0 END, m.to_plan, CASE WHEN $4 THEN m.to_version ELSE 0 END, m.direction, sum(m.moves)
            FROM report_plan_moves m
            WHERE m.day BETWEEN $1 AND $2 AND ($3::text IS NULL OR m.location_id = $3)
            GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
            """,
            r => new PlanMove(r.GetString(0), r.GetInt32(1), r.GetString(2), r.GetInt32(3), r.GetString(4), r.GetInt64(5)),
            cancellationToken);

    public record AtRisk(string MemberId, string Name, string Email, string PlanId, string LocationId, DateOnly? CardExpires,
        int VisitsRecent, int VisitsPrior, long UnusedExpiring, DateTimeOffset? ExpiresAt);

    /// <summary>Live members with falling visits, an untouched lot about to expire, or a card expiring, as of the range's last day.</summary>
    public Task<List<AtRisk>> AtRiskAsync(ReportQuery query, CancellationToken cancellationToken = default) =>
        ReadAsync(query, """
            WITH visits AS (
                SELECT v.member_id,
                       coalesce(sum(v.visits) FILTER (WHERE v.day > $2::date - 90), 0)::int AS recent,
                       coalesce(sum(v.visits) FILTER (WHERE v.day <= $2::date - 90), 0)::int AS prior
                FROM report_visits v
                WHERE v.day > $2::date - 180 AND v.day <= $2::date
                GROUP BY v.member_id),
            expiring AS (
                SELECT l.member_id, sum(l.remaining) AS unused, min(l.expires_at) AS soonest
                FROM report_lots l
                WHERE l.remaining = l.granted
                  AND l.expires_at >= ($2::date + 1)::timestamp AT TIME ZONE 'UTC'
                  AND l.expires_at < ($2::date + 15)::timestamp AT TIME ZONE 'UTC'
                GROUP BY l.member_id)
            SELECT m.member_id, m.name, m.email, m.plan_id, m.location_id, m.card_expires,
                   coalesce(v.recent, 0), coalesce(v.prior, 0), coalesce(x.unused, 0), x.soonest
            FROM report_members m
            LEFT JOIN visits v ON v.member_id = m.member_id
            LEFT JOIN expiring x ON x.member_id = m.member_id
            WHERE m.status IN ('active', 'past_due', 'paused')
              AND ($3::text IS NULL OR m.location_id = $3)
              AND ((coalesce(v.prior, 0) >= 2 AND coalesce(v.recent, 0) * 2 <= v.prior)
                   OR x.unused > 0
                   OR m.card_expires < $2::date + 60)
            ORDER BY m.name, m.member_id
            """,
            r => new AtRisk(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
                r.IsDBNull(5) ? null : Day(r, 5), r.GetInt32(6), r.GetInt32(7), r.GetInt64(8),
                r.IsDBNull(9) ? null : r.GetFieldValue<DateTimeOffset>(9)),
            cancellationToken);

    /// <summary>Runs <paramref name="sql"/> with the query as $1 from, $2 to, $3 location (or null), $4 by version.</summary>
    private async Task<List<T>> ReadAsync<T>(ReportQuery query, string sql, Func<NpgsqlDataReader, T> row, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = query.From });
        command.Parameters.Add(new NpgsqlParameter { Value = query.To });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.LocationId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = query.ByVersion });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(row(reader));
        }

        return rows;
    }

    private static DateOnly Day(NpgsqlDataReader reader, int ordinal) => reader.GetFieldValue<DateOnly>(ordinal);
}
