using MedSpa.Reporting;
using Npgsql;

namespace MedSpa.Grains.Reporting;

/// <summary>
/// The SQL over the projection. A count is the sum of the day rows over a month's days in the range. A state is the sum
/// of its changes up to the month's last day in the range: the day rows are summed once per month of the range (the days
/// before it into one opening sum per tier), then added up month after month by a window, so a state costs one pass
/// over the day rows whatever the range's length, instead of one pass per month.
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

    /// <summary>
    /// The month of the range a day row of <paramref name="table"/> falls in (its first day), or null for a day before the
    /// range: those only add to the opening state.
    /// </summary>
    private static string MonthOf(string table) => $"CASE WHEN {table}.day >= $1::date THEN {table}.day - extract(day FROM {table}.day)::int + 1 END";

    /// <summary>The plan version column, or 0 for every version when tiers are plans.</summary>
    private static string Version(string table) => $"CASE WHEN $4 THEN {table}.plan_version ELSE 0 END";

    public record MembershipMonth(DateOnly Month, string PlanId, int Version, long Active, long Mrr, long PastDue, long Paused, long Suspended,
        long Joined, long Reactivated, long PausesStarted, long Suspensions, long CancelledVoluntary, long CancelledInvoluntary, long LiveAtStart);

    public Task<List<MembershipMonth>> MembershipAsync(ReportQuery query, CancellationToken cancellationToken = default) =>
        ReadAsync(query, $"""
            {Months},
            flows AS (
                SELECT {MonthOf("d")} AS month, d.plan_id, {Version("d")} AS version,
                       sum(d.active) AS active, sum(d.mrr) AS mrr, sum(d.past_due) AS past_due, sum(d.paused) AS paused,
                       sum(d.suspended) AS suspended, sum(d.joined) AS joined, sum(d.reactivated) AS reactivated,
                       sum(d.pauses_started) AS pauses_started, sum(d.suspensions) AS suspensions,
                       sum(d.cancelled_voluntary) AS cancelled_voluntary, sum(d.cancelled_involuntary) AS cancelled_involuntary,
                       sum(d.active + d.past_due + d.paused + d.suspended) AS live, min(d.day) AS since
                FROM report_membership_daily d
                WHERE d.day <= $2::date AND ($3::text IS NULL OR d.location_id = $3)
                GROUP BY 1, 2, 3),
            tiers AS (
                SELECT plan_id, version, min(since) AS since,
                       coalesce(sum(active) FILTER (WHERE month IS NULL), 0) AS active,
                       coalesce(sum(mrr) FILTER (WHERE month IS NULL), 0) AS mrr,
                       coalesce(sum(past_due) FILTER (WHERE month IS NULL), 0) AS past_due,
                       coalesce(sum(paused) FILTER (WHERE month IS NULL), 0) AS paused,
                       coalesce(sum(suspended) FILTER (WHERE month IS NULL), 0) AS suspended,
                       coalesce(sum(live) FILTER (WHERE month IS NULL), 0) AS live
                FROM flows GROUP BY 1, 2)
            SELECT mo.month, t.plan_id, t.version,
                   t.active + sum(coalesce(f.active, 0)) OVER w,
                   t.mrr + sum(coalesce(f.mrr, 0)) OVER w,
                   t.past_due + sum(coalesce(f.past_due, 0)) OVER w,
                   t.paused + sum(coalesce(f.paused, 0)) OVER w,
                   t.suspended + sum(coalesce(f.suspended, 0)) OVER w,
                   coalesce(f.joined, 0), coalesce(f.reactivated, 0), coalesce(f.pauses_started, 0), coalesce(f.suspensions, 0),
                   coalesce(f.cancelled_voluntary, 0), coalesce(f.cancelled_involuntary, 0),
                   t.live + sum(coalesce(f.live, 0)) OVER w - coalesce(f.live, 0)
            FROM tiers t
            JOIN months mo ON mo.last_day >= t.since
            LEFT JOIN flows f ON f.month = mo.month AND f.plan_id = t.plan_id AND f.version = t.version
            WINDOW w AS (PARTITION BY t.plan_id, t.version ORDER BY mo.month)
            ORDER BY 1, 2, 3
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
            {Months},
            flows AS (
                SELECT {MonthOf("c")} AS month, c.plan_id, {Version("c")} AS version, c.benefit_key, c.kind,
                       sum(c.allocated) AS allocated, sum(c.redeemed) AS redeemed, sum(c.expired) AS expired, sum(c.adjusted) AS adjusted,
                       sum(c.allocated - c.redeemed - c.expired + c.adjusted) AS net, min(c.day) AS since
                FROM report_credits_daily c
                WHERE c.day <= $2::date AND ($3::text IS NULL OR c.location_id = $3)
                GROUP BY 1, 2, 3, 4, 5),
            tiers AS (
                SELECT plan_id, version, benefit_key, kind, min(since) AS since, coalesce(sum(net) FILTER (WHERE month IS NULL), 0) AS net
                FROM flows GROUP BY 1, 2, 3, 4)
            SELECT mo.month, t.plan_id, t.version, t.benefit_key, t.kind,
                   coalesce(f.allocated, 0), coalesce(f.redeemed, 0), coalesce(f.expired, 0), coalesce(f.adjusted, 0),
                   t.net + sum(coalesce(f.net, 0)) OVER (PARTITION BY t.plan_id, t.version, t.benefit_key, t.kind ORDER BY mo.month)
            FROM tiers t
            JOIN months mo ON mo.last_day >= t.since
            LEFT JOIN flows f ON f.month = mo.month AND f.plan_id = t.plan_id AND f.version = t.version AND f.benefit_key = t.benefit_key AND f.kind = t.kind
            ORDER BY 1, 2, 3, 4, 5
            """,
            r => new CreditMonth(Day(r, 0), r.GetString(1), r.GetInt32(2), r.GetString(3), r.GetString(4),
                r.GetInt64(5), r.GetInt64(6), r.GetInt64(7), r.GetInt64(8), r.GetInt64(9)),
            cancellationToken);

    /// <summary>Membership revenue still owed at the end of each month's last day, in minor units.</summary>
    public record DeferredMonth(DateOnly Month, string PlanId, int Version, long Amount);

    /// <summary>
    /// The deferral lines summed up to each month's last day D give <c>Fixed − D·Slope</c>, D a day number counted like
    /// .NET's <see cref="DateOnly.DayNumber"/> (from 1 January of year 1), worked out here in numeric: the sums can carry
    /// more digits than a <see cref="decimal"/> holds. It is rounded to 10 places before the cent, which takes away the
    /// last digits of each slope's own rounding, so an amount that is a true half (such as 3,333.5) rounds as one.
    /// </summary>
    public Task<List<DeferredMonth>> DeferredAsync(ReportQuery query, CancellationToken cancellationToken = default) =>
        ReadAsync(query, $"""
            {Months},
            flows AS (
                SELECT {MonthOf("d")} AS month, d.plan_id, {Version("d")} AS version,
                       sum(d.fixed) AS fixed, sum(d.slope) AS slope, min(d.day) AS since
                FROM report_deferred_daily d
                WHERE d.day <= $2::date AND ($3::text IS NULL OR d.location_id = $3)
                GROUP BY 1, 2, 3),
            tiers AS (
                SELECT plan_id, version, min(since) AS since,
                       coalesce(sum(fixed) FILTER (WHERE month IS NULL), 0) AS fixed,
                       coalesce(sum(slope) FILTER (WHERE month IS NULL), 0) AS slope
                FROM flows GROUP BY 1, 2)
            SELECT mo.month, t.plan_id, t.version,
                   round(round((t.fixed + sum(coalesce(f.fixed, 0)) OVER w)
                               - (mo.last_day - DATE '0001-01-01') * (t.slope + sum(coalesce(f.slope, 0)) OVER w), 10))::bigint
            FROM tiers t
            JOIN months mo ON mo.last_day >= t.since
            LEFT JOIN flows f ON f.month = mo.month AND f.plan_id = t.plan_id AND f.version = t.version
            WINDOW w AS (PARTITION BY t.plan_id, t.version ORDER BY mo.month)
            ORDER BY 1, 3, 4
            """,
            r => new DeferredMonth(Day(r, 0), r.GetString(1), r.GetInt32(2), r.GetInt64(3)),
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

    /// <summary>An at-risk member; untouched lots about to expire are summed by kind (units and sessions, dollar credit in minor units).</summary>
    public record AtRisk(string MemberId, string Name, string Email, string PlanId, string LocationId, DateOnly? CardExpires,
        int VisitsRecent, int VisitsPrior, long UnusedUnits, long UnusedDollars, DateOnly? ExpiresOn,
        bool FallingVisits, bool CreditsExpiring, bool CardExpiring);

    /// <summary>
    /// Live members with falling visits, an untouched lot about to expire, or a card expiring, as of the range's last day.
    /// "Within 14 days" is the 14 local days after it in the member's zone: in UTC days, a lot lapsing at 20:00 in New York
    /// on the last day itself was listed as still to expire. The three reasons are decided here, once: the list's filter
    /// and its reasons cannot disagree.
    /// </summary>
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
                SELECT l.member_id,
                       coalesce(sum(l.remaining) FILTER (WHERE l.benefit_key NOT LIKE 'dollars:%'), 0) AS units,
                       coalesce(sum(l.remaining) FILTER (WHERE l.benefit_key LIKE 'dollars:%'), 0) AS dollars,
                       (min(l.expires_at) AT TIME ZONE min(m.time_zone))::date AS soonest
                FROM report_lots l JOIN report_members m ON m.member_id = l.member_id
                WHERE l.remaining = l.granted
                  AND l.expires_at >= ($2::date + 1)::timestamp AT TIME ZONE m.time_zone
                  AND l.expires_at < ($2::date + 15)::timestamp AT TIME ZONE m.time_zone
                GROUP BY l.member_id)
            SELECT * FROM (
                SELECT m.member_id, m.name, m.email, m.plan_id, m.location_id, m.card_expires,
                       coalesce(v.recent, 0) AS recent, coalesce(v.prior, 0) AS prior,
                       coalesce(x.units, 0) AS units, coalesce(x.dollars, 0) AS dollars, x.soonest,
                       coalesce(v.prior, 0) >= 2 AND coalesce(v.recent, 0) * 2 <= coalesce(v.prior, 0) AS falling_visits,
                       x.member_id IS NOT NULL AS credits_expiring,
                       coalesce(m.card_expires < $2::date + 60, false) AS card_expiring
                FROM report_members m
                LEFT JOIN visits v ON v.member_id = m.member_id
                LEFT JOIN expiring x ON x.member_id = m.member_id
                WHERE m.status IN ('active', 'past_due', 'paused')
                  AND ($3::text IS NULL OR m.location_id = $3)) AS risk
            WHERE falling_visits OR credits_expiring OR card_expiring
            ORDER BY name, member_id
            """,
            r => new AtRisk(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
                r.IsDBNull(5) ? null : Day(r, 5), r.GetInt32(6), r.GetInt32(7), r.GetInt64(8), r.GetInt64(9),
                r.IsDBNull(10) ? null : Day(r, 10), r.GetBoolean(11), r.GetBoolean(12), r.GetBoolean(13)),
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
