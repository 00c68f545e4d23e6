using System.Globalization;
using System.Text.Json;
using MedSpa.Reporting;
using MedSpa.Web.Members;

namespace MedSpa.Web.Reporting;

/// <summary>
/// The reports as the <c>/reports</c> page lays them out: each card's table rows and its chart's data (the JSON that
/// /assets/reports.js draws), taken from the same figures so the chart and the table never disagree. Nothing here is
/// counted anew: range totals are sums of the grain's monthly rows, and states are its last month's.
/// </summary>
public sealed class ReportView
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private readonly ReportSet _reports;

    public ReportView(ReportSet reports)
    {
        _reports = reports;
        Currency = reports.Mrr.Currency;
        Months = [.. MonthsOf(reports.Query)];
        LastMonth = Months[^1];

        MrrTiers = TiersOf(reports.Mrr.Months.Where(r => r.Mrr != 0 || r.ActiveMembers != 0).Select(r => new Tier(r.PlanId, r.PlanName, r.PlanVersion)));
        MrrNow = [.. MrrTiers.Select(t => reports.Mrr.Months.FirstOrDefault(r => r.Month == LastMonth && Is(t, r.PlanId, r.PlanVersion)) is { } row
            ? new TierMrr(t, row.ActiveMembers, row.Mrr)
            : new TierMrr(t, 0, 0))];
        MrrByMonth = [.. Months.Select(m => new MonthMrr(m, [.. MrrTiers.Select(t => reports.Mrr.Months.Where(r => r.Month == m && Is(t, r.PlanId, r.PlanVersion)).Sum(r => r.Mrr))]))];

        ActiveTiers = TiersOf(reports.ActiveMembers.Months.Select(r => new Tier(r.PlanId, r.PlanName, r.PlanVersion)));
        ChurnReasons = [.. reports.Churn.Reasons
            .GroupBy(r => (r.Reason, r.Involuntary))
            .Select(g => new ReasonTotal(g.Key.Reason, g.Key.Involuntary, g.Sum(r => r.Cancelled)))
            .OrderByDescending(r => r.Cancelled).ThenBy(r => r.Reason, StringComparer.Ordinal)];

        UnitCredits = CreditTotals("units");
        DollarCredits = CreditTotals("dollars");

        // A paying client counts once for each month they paid in; every row of a month carries the month's counts.
        var paying = reports.Revenue.Months.GroupBy(r => r.Month).Select(g => g.First()).ToList();
        MemberMonths = paying.Sum(r => r.PayingMembers);
        NonMemberMonths = paying.Sum(r => r.PayingNonMembers);
        Revenue = [.. reports.Revenue.Months
            .GroupBy(r => r.TreatmentType)
            .Select(g => RevenueOf(g.Key, g.Sum(r => r.MemberRevenue), g.Sum(r => r.NonMemberRevenue)))
            .OrderBy(r => r.Type, StringComparer.Ordinal)];
        RevenueTotal = RevenueOf("All treatment types", Revenue.Sum(r => r.MemberRevenue), Revenue.Sum(r => r.NonMemberRevenue));

        LiabilityNow = [.. reports.Liability.Months.Where(r => r.Month == LastMonth)
            .OrderBy(r => r.PlanName, StringComparer.OrdinalIgnoreCase).ThenBy(r => r.PlanVersion)];
    }

    public ReportQuery Query => _reports.Query;

    public string Currency { get; }

    /// <summary>Every month the range touches, <c>yyyy-MM</c>, in order.</summary>
    public IReadOnlyList<string> Months { get; }

    /// <summary>The range's last month: states "now" are as they stood at the range's last day.</summary>
    public string LastMonth { get; }

    public string AsOf => Query.To.ToString("yyyy-MM-dd", Invariant);

    /// <summary>The API's CSV of <paramref name="report"/> (one of its <paramref name="table"/>s) for the page's filters.</summary>
    public string CsvUrl(string report, string? table = null) =>
        $"/api/v1/reports/{report}?{ReportFilters.QueryString(Query)}&format=csv{(table is null ? "" : "&table=" + table)}";

    public string Money(long minorUnits) => MemberFormat.Amount(new MedSpa.Money(minorUnits, Currency));

    /// <summary>A credit figure in its own terms: treatment units counted, dollar credits as money.</summary>
    public string Quantity(string kind, long quantity) =>
        kind == "dollars" ? Money(quantity) : quantity.ToString(Invariant);

    public static string Rate(decimal fraction) => (fraction * 100).ToString("0.##", Invariant) + "%";

    /// <summary>A tier as the owner reads it: the plan's name, and its version when tiers are versions.</summary>
    public static string Name(Tier tier) => Name(tier.PlanId, tier.PlanName, tier.PlanVersion);

    public static string Name(string planId, string planName, int? version) =>
        version is { } v && planId.Length > 0 ? $"{planName} v{v}" : planName;

    /// <summary>A treatment type's code (<c>add_on</c>, a service category) as words.</summary>
    public static string TypeName(string type) =>
        type.Length == 0 ? type : char.ToUpperInvariant(type[0]) + type[1..].Replace('_', ' ');

    // MRR

    public IReadOnlyList<Tier> MrrTiers { get; }

    /// <summary>Each tier's paying members and MRR at the range's end.</summary>
    public IReadOnlyList<TierMrr> MrrNow { get; }

    public long MrrNowTotal => MrrNow.Sum(t => t.Mrr);

    /// <summary>Each month's MRR per tier, in <see cref="MrrTiers"/> order.</summary>
    public IReadOnlyList<MonthMrr> MrrByMonth { get; }

    public string MrrChart => Chart("bar", "money", stacked: true, Months,
        MrrTiers.Select((t, i) => Set(Name(t), MrrByMonth.Select(m => (object)Major(m.ByTier[i])))));

    // Active members

    public IReadOnlyList<Tier> ActiveTiers { get; }

    public IReadOnlyList<ActiveMembersRow> ActiveRows => _reports.ActiveMembers.Months;

    public string ActiveChart => Chart("line", "count", stacked: false, Months,
        ActiveTiers.Select(t => Set(Name(t), Months.Select(m => (object)ActiveRows.Where(r => r.Month == m && Is(t, r.PlanId, r.PlanVersion)).Sum(r => r.Active)))));

    // Churn

    public IReadOnlyList<ChurnRow> ChurnMonths => _reports.Churn.Months;

    /// <summary>Cancellations over the range by reason, most common first.</summary>
    public IReadOnlyList<ReasonTotal> ChurnReasons { get; }

    public string ChurnChart => Chart("bar", "percent", stacked: true, [.. ChurnMonths.Select(m => m.Month)],
    [
        Set("Voluntary", ChurnMonths.Select(m => (object)(m.VoluntaryRate * 100))),
        Set("Involuntary", ChurnMonths.Select(m => (object)(m.InvoluntaryRate * 100))),
    ]);

    // Credit utilisation

    /// <summary>Treatment units per tier over the range (counts of treatments).</summary>
    public IReadOnlyList<CreditTotal> UnitCredits { get; }

    /// <summary>Dollar credits per tier over the range (minor units).</summary>
    public IReadOnlyList<CreditTotal> DollarCredits { get; }

    public string UnitCreditChart => CreditChart(UnitCredits, "count", c => c);

    public string DollarCreditChart => CreditChart(DollarCredits, "money", c => Major(c));

    // Revenue per client

    /// <summary>Each treatment type over the range: revenue, and revenue per paying client-month of each kind.</summary>
    public IReadOnlyList<TypeRevenue> Revenue { get; }

    public TypeRevenue RevenueTotal { get; }

    /// <summary>Paying members summed over the months of the range (a member paying in three months counts three).</summary>
    public long MemberMonths { get; }

    public long NonMemberMonths { get; }

    public string RevenueChart => Chart("bar", "money", stacked: false, [.. Revenue.Select(r => TypeName(r.Type))],
    [
        Set("Per member", Revenue.Select(r => (object)Major(r.PerMember ?? 0))),
        Set("Per non-member client", Revenue.Select(r => (object)Major(r.PerNonMember ?? 0))),
    ]);

    // Tier migration

    public IReadOnlyList<Tier> MigrationTiers => _reports.Migration.Tiers;

    public IReadOnlyList<TierMigrationRow> Moves => _reports.Migration.Moves;

    public long MovesIn(string direction) => Moves.Where(m => m.Direction == direction).Sum(m => m.Moves);

    /// <summary>Members who moved from <paramref name="from"/> to <paramref name="to"/>, and which way (null when none did).</summary>
    public (long Moves, string? Direction) Cell(Tier from, Tier to)
    {
        var cell = Moves.Where(m => Is(from, m.FromPlanId, m.FromPlanVersion) && Is(to, m.ToPlanId, m.ToPlanVersion)).ToList();
        var directions = cell.Select(m => m.Direction).Distinct().ToList();
        return (cell.Sum(m => m.Moves), directions.Count == 1 ? directions[0] : null);
    }

    /// <summary>A bar per tier moved from, split by the tier moved to.</summary>
    public string MigrationChart => Chart("bar", "count", stacked: true, [.. MigrationTiers.Select(Name)],
        MigrationTiers.Select(to => Set(Name(to), MigrationTiers.Select(from => (object)Cell(from, to).Moves))));

    // Liability

    /// <summary>Each tier's open credits and deferred revenue at the range's end.</summary>
    public IReadOnlyList<LiabilityRow> LiabilityNow { get; }

    public static long OpenCreditValue(LiabilityRow row) => row.OpenUnitsValue + row.OpenDollarCredits;

    public string LiabilityChart => Chart("bar", "money", stacked: true, Months,
    [
        Set("Open credits (list price)", Months.Select(m => (object)Major(_reports.Liability.Months.Where(r => r.Month == m).Sum(OpenCreditValue)))),
        Set("Deferred revenue", Months.Select(m => (object)Major(_reports.Liability.Months.Where(r => r.Month == m).Sum(r => r.DeferredRevenue)))),
    ]);

    // At risk

    public IReadOnlyList<AtRiskRow> AtRisk => _reports.AtRisk.Members;

    /// <summary>The at-risk reasons in the order the list explains them, with their words.</summary>
    public static IReadOnlyList<(string Code, string Words)> RiskReasons { get; } =
        [("falling_visits", "Falling visits"), ("credits_expiring", "Credits expiring"), ("card_expiring", "Card expiring")];

    public static IEnumerable<string> ReasonWords(AtRiskRow row) =>
        row.Reasons.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(code => RiskReasons.FirstOrDefault(r => r.Code == code).Words ?? code);

    public string AtRiskChart => Chart("bar", "count", stacked: false, [.. RiskReasons.Select(r => r.Words)],
        [Set("Members", RiskReasons.Select(r => (object)AtRisk.Count(m => m.Reasons.Split(' ').Contains(r.Code))))]);

    private IReadOnlyList<CreditTotal> CreditTotals(string kind)
    {
        var rows = _reports.Credits.Months.Where(r => r.Kind == kind).ToList();
        return [.. TiersOf(rows.Select(r => new Tier(r.PlanId, r.PlanName, r.PlanVersion))).Select(tier =>
        {
            var tierRows = rows.Where(r => Is(tier, r.PlanId, r.PlanVersion)).ToList();
            var allocated = tierRows.Sum(r => r.Allocated);
            var redeemed = tierRows.Sum(r => r.Redeemed);
            var expired = tierRows.Sum(r => r.Expired);
            var open = tierRows.Where(r => r.Month == LastMonth).Sum(r => r.Open);
            return new CreditTotal(tier, allocated, redeemed, expired, tierRows.Sum(r => r.Adjusted), open, Fraction(redeemed, allocated), Fraction(expired, allocated));
        })];
    }

    private string CreditChart(IReadOnlyList<CreditTotal> credits, string unit, Func<long, object> value) => Chart("bar", unit, stacked: false, [.. credits.Select(c => Name(c.Tier))],
    [
        Set("Allocated", credits.Select(c => value(c.Allocated))),
        Set("Redeemed", credits.Select(c => value(c.Redeemed))),
        Set("Expired", credits.Select(c => value(c.Expired))),
        Set($"Open at {LastMonth}", credits.Select(c => value(c.Open))),
    ]);

    private TypeRevenue RevenueOf(string type, long fromMembers, long fromOthers) =>
        new(type, fromMembers, fromOthers, PerClient(fromMembers, MemberMonths), PerClient(fromOthers, NonMemberMonths));

    private static long? PerClient(long revenue, long clientMonths) =>
        clientMonths == 0 ? null : (long)Math.Round((decimal)revenue / clientMonths, MidpointRounding.AwayFromZero);

    private static decimal Fraction(long part, long whole) => whole == 0 ? 0 : Math.Round((decimal)part / whole, 4, MidpointRounding.AwayFromZero);

    private static decimal Major(long minorUnits) => minorUnits / 100m;

    private static bool Is(Tier tier, string planId, int? version) => tier.PlanId == planId && tier.PlanVersion == version;

    private static IReadOnlyList<Tier> TiersOf(IEnumerable<Tier> tiers) =>
        [.. tiers.Distinct().OrderBy(t => t.PlanId.Length == 0).ThenBy(t => t.PlanName, StringComparer.OrdinalIgnoreCase).ThenBy(t => t.PlanVersion)];

    private static IEnumerable<string> MonthsOf(ReportQuery query)
    {
        for (var month = new DateOnly(query.From.Year, query.From.Month, 1); month <= query.To; month = month.AddMonths(1))
        {
            yield return month.ToString("yyyy-MM", Invariant);
        }
    }

    private static object Set(string label, IEnumerable<object> data) => new { label, data = data.ToList() };

    /// <summary>
    /// A chart as reports.js takes it: its kind, how its values read (<c>money</c> in major units of
    /// <see cref="Currency"/>, <c>percent</c>, <c>count</c>), whether datasets stack, the labels and the datasets.
    /// </summary>
    private string Chart(string type, string unit, bool stacked, IReadOnlyList<string> labels, IEnumerable<object> datasets) =>
        JsonSerializer.Serialize(new { type, unit, stacked, currency = Currency.ToUpperInvariant(), labels, datasets = datasets.ToList() }, JsonSerializerOptions.Web);

    public sealed record TierMrr(Tier Tier, long Members, long Mrr);

    public sealed record MonthMrr(string Month, IReadOnlyList<long> ByTier)
    {
        public long Total => ByTier.Sum();
    }

    public sealed record ReasonTotal(string Reason, bool Involuntary, long Cancelled);

    /// <summary>A tier's credits over the range; rates are of what was allocated in it.</summary>
    public sealed record CreditTotal(Tier Tier, long Allocated, long Redeemed, long Expired, long Adjusted, long Open, decimal RedemptionRate, decimal ExpiryRate);

    /// <summary>A treatment type's revenue over the range; per client is null when no client of that kind paid in it.</summary>
    public sealed record TypeRevenue(string Type, long MemberRevenue, long NonMemberRevenue, long? PerMember, long? PerNonMember);
}
