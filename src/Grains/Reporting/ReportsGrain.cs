using MedSpa.Domain;
using MedSpa.Domain.Reporting;
using MedSpa.Plans;
using MedSpa.Practice;
using MedSpa.Reporting;
using Orleans.Concurrency;

namespace MedSpa.Grains.Reporting;

/// <summary>
/// Answers the reports from the projection, after bringing it up to the end of the log. Names and list prices come
/// from the plans and the catalogue as they are now; every figure comes from the projection.
/// </summary>
[StatelessWorker]
public sealed class ReportsGrain(ReportReader? reader = null) : Grain, IReportsGrain
{
    private const string NoPlanName = "No membership";

    public async Task<MrrReport> GetMrrAsync(ReportQuery query)
    {
        var context = await OpenAsync(query);
        var rows = await context.Reader.MembershipAsync(query);
        return new MrrReport(query, context.Currency, [.. rows.Select(r =>
        {
            var tier = context.Tier(r.PlanId, r.Version);
            return new MrrRow(MonthOf(r.Month), tier.PlanId, tier.PlanName, tier.PlanVersion, r.Active, r.Mrr);
        })]);
    }

    public async Task<ActiveMembersReport> GetActiveMembersAsync(ReportQuery query)
    {
        var context = await OpenAsync(query);
        var rows = await context.Reader.MembershipAsync(query);
        return new ActiveMembersReport(query, [.. rows.Select(r =>
        {
            var tier = context.Tier(r.PlanId, r.Version);
            return new ActiveMembersRow(MonthOf(r.Month), tier.PlanId, tier.PlanName, tier.PlanVersion, r.Active, r.PastDue, r.Paused, r.Suspended,
                r.Joined, r.Reactivated, r.PausesStarted, r.Suspensions, r.CancelledVoluntary + r.CancelledInvoluntary);
        })]);
    }

    public async Task<ChurnReport> GetChurnAsync(ReportQuery query)
    {
        var context = await OpenAsync(query with { ByVersion = false });
        var months = (await context.Reader.MembershipAsync(query)).GroupBy(r => r.Month).ToDictionary(g => g.Key);
        var rows = MonthsOf(query).Select(month =>
        {
            var tiers = months.TryGetValue(month, out var found) ? found.ToList() : [];
            var atStart = tiers.Sum(t => t.LiveAtStart);
            var voluntary = tiers.Sum(t => t.CancelledVoluntary);
            var involuntary = tiers.Sum(t => t.CancelledInvoluntary);
            return new ChurnRow(MonthOf(month), atStart, voluntary, involuntary,
                Rate(voluntary, atStart), Rate(involuntary, atStart), Rate(voluntary + involuntary, atStart));
        });
        var reasons = await context.Reader.ChurnReasonsAsync(query);
        return new ChurnReport(query, [.. rows], [.. reasons.Select(r => new ChurnReasonRow(MonthOf(r.Month), r.Reason, r.Involuntary, r.Cancelled))]);
    }

    public async Task<CreditUtilisationReport> GetCreditUtilisationAsync(ReportQuery query)
    {
        var context = await OpenAsync(query);
        var rows = await context.Reader.CreditsAsync(query);
        var tiers = rows
            .GroupBy(r => (r.Month, r.PlanId, r.Version, r.Kind))
            .Select(g =>
            {
                var tier = context.Tier(g.Key.PlanId, g.Key.Version);
                var allocated = g.Sum(r => r.Allocated);
                var redeemed = g.Sum(r => r.Redeemed);
                var expired = g.Sum(r => r.Expired);
                return new CreditUtilisationRow(MonthOf(g.Key.Month), tier.PlanId, tier.PlanName, tier.PlanVersion, g.Key.Kind,
                    allocated, redeemed, expired, g.Sum(r => r.Adjusted), g.Sum(r => r.Open), Rate(redeemed, allocated), Rate(expired, allocated));
            });
        return new CreditUtilisationReport(query, [.. tiers]);
    }

    public async Task<RevenuePerClientReport> GetRevenuePerClientAsync(ReportQuery query)
    {
        var context = await OpenAsync(query with { ByVersion = false });
        var revenue = await context.Reader.RevenueAsync(query);
        var clients = (await context.Reader.PayingClientsAsync(query)).ToDictionary(c => (c.Month, c.ClientKind), c => c.Clients);
        var categories = context.Catalogue.Services.ToDictionary(s => s.Id, s => s.Category, StringComparer.Ordinal);
        var types = revenue
            .GroupBy(r => (r.Month, Type: categories.GetValueOrDefault(r.RevenueKey) ?? r.RevenueKey))
            .OrderBy(g => g.Key.Month).ThenBy(g => g.Key.Type, StringComparer.Ordinal)
            .Select(g =>
            {
                var members = clients.GetValueOrDefault((g.Key.Month, ReportProjection.Member));
                var others = clients.GetValueOrDefault((g.Key.Month, ReportProjection.NonMember));
                var fromMembers = g.Where(r => r.ClientKind == ReportProjection.Member).Sum(r => r.Amount);
                var fromOthers = g.Where(r => r.ClientKind == ReportProjection.NonMember).Sum(r => r.Amount);
                return new RevenuePerClientRow(MonthOf(g.Key.Month), g.Key.Type, fromMembers, fromOthers, members, others,
                    PerClient(fromMembers, members), PerClient(fromOthers, others));
            });
        return new RevenuePerClientReport(query, context.Currency, [.. types]);
    }

    public async Task<TierMigrationReport> GetTierMigrationAsync(ReportQuery query)
    {
        var context = await OpenAsync(query);
        var moves = await context.Reader.PlanMovesAsync(query);
        var rows = moves.Select(m =>
        {
            var from = context.Tier(m.FromPlan, m.FromVersion);
            var to = context.Tier(m.ToPlan, m.ToVersion);
            return new TierMigrationRow(from.PlanId, from.PlanName, from.PlanVersion, to.PlanId, to.PlanName, to.PlanVersion, m.Direction, m.Moves);
        }).ToList();
        var tiers = rows.SelectMany(r => new[] { new Tier(r.FromPlanId, r.FromPlanName, r.FromPlanVersion), new Tier(r.ToPlanId, r.ToPlanName, r.ToPlanVersion) })
            .Distinct()
            .OrderBy(t => t.PlanName, StringComparer.OrdinalIgnoreCase).ThenBy(t => t.PlanVersion)
            .ToList();
        return new TierMigrationReport(query, tiers, rows);
    }

    public async Task<LiabilityReport> GetLiabilityAsync(ReportQuery query)
    {
        var context = await OpenAsync(query);
        var credits = await context.Reader.CreditsAsync(query);
        var deferred = (await context.Reader.DeferredAsync(query)).ToDictionary(d => (d.Month, d.PlanId, d.Version));
        var keys = credits.Select(c => (c.Month, c.PlanId, c.Version)).Concat(deferred.Keys).Distinct().Order();
        var rows = keys.Select(key =>
        {
            var open = credits.Where(c => (c.Month, c.PlanId, c.Version) == key).ToList();
            var units = open.Where(c => c.Kind == "units").ToList();
            var tier = context.Tier(key.PlanId, key.Version);
            var owed = deferred.TryGetValue(key, out var d) ? d.Amount : 0;
            return new LiabilityRow(MonthOf(key.Month), tier.PlanId, tier.PlanName, tier.PlanVersion,
                units.Sum(c => c.Open), units.Sum(c => c.Open * context.UnitPrice(c.BenefitKey)),
                open.Where(c => c.Kind == "dollars").Sum(c => c.Open), owed);
        });
        return new LiabilityReport(query, context.Currency, [.. rows]);
    }

    public async Task<AtRiskReport> GetAtRiskAsync(ReportQuery query)
    {
        var context = await OpenAsync(query);
        var members = await context.Reader.AtRiskAsync(query);
        return new AtRiskReport(query, [.. members.Select(m =>
        {
            var reasons = new[] { (m.FallingVisits, "falling_visits"), (m.CreditsExpiring, "credits_expiring"), (m.CardExpiring, "card_expiring") }
                .Where(r => r.Item1).Select(r => r.Item2);
            return new AtRiskRow(m.MemberId, m.Name, m.Email, m.PlanId, context.Tier(m.PlanId, 0).PlanName, m.LocationId, string.Join(' ', reasons),
                m.VisitsRecent, m.VisitsPrior, m.UnusedUnits, m.UnusedDollars, m.ExpiresOn, m.CardExpires);
        })]);
    }

    private async Task<Context> OpenAsync(ReportQuery query)
    {
        var projection = reader ?? throw Reject.Unavailable("reports_need_postgres", "Reports are folded from the event log in PostgreSQL; this silo keeps its data in memory.");
        if (query.From > query.To)
        {
            throw Reject.Invalid("invalid_range", "The report's range starts after it ends.");
        }

        await GrainFactory.GetGrain<IReportProjectorGrain>(IReportProjectorGrain.Key).CatchUpAsync();
        var plans = await GrainFactory.GetGrain<IPlanDirectoryGrain>(IPlanDirectoryGrain.Key).ListAsync();
        var catalogue = await GrainFactory.GetGrain<IPracticeGrain>(IPracticeGrain.Key).GetCatalogueAsync();
        return new Context(projection, query.ByVersion, plans.ToDictionary(p => p.Id, StringComparer.Ordinal), catalogue);
    }

    private static IEnumerable<DateOnly> MonthsOf(ReportQuery query)
    {
        for (var month = new DateOnly(query.From.Year, query.From.Month, 1); month <= query.To; month = month.AddMonths(1))
        {
            yield return month;
        }
    }

    private static string MonthOf(DateOnly month) => month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

    private static decimal Rate(long part, long whole) => whole == 0 ? 0 : Math.Round((decimal)part / whole, 4, MidpointRounding.AwayFromZero);

    private static long PerClient(long revenue, long clients) =>
        clients == 0 ? 0 : (long)Math.Round((decimal)revenue / clients, MidpointRounding.AwayFromZero);

    private sealed record Context(ReportReader Reader, bool ByVersion, IReadOnlyDictionary<string, Plan> Plans, PracticeCatalogue Catalogue)
    {
        public string Currency => Plans.Values.Select(p => p.Current.Terms.MonthlyPrice.Currency).FirstOrDefault()
            ?? Catalogue.Services.Select(s => s.Price.Currency).FirstOrDefault() ?? "usd";

        public Tier Tier(string planId, int version)
        {
            if (planId == ReportProjection.NoPlan)
            {
                return new Tier(planId, NoPlanName, ByVersion ? 0 : null);
            }

            if (!Plans.TryGetValue(planId, out var plan))
            {
                return new Tier(planId, planId, ByVersion ? version : null);
            }

            var named = ByVersion ? plan.Versions.FirstOrDefault(v => v.Version == version) ?? plan.Current : plan.Current;
            return new Tier(planId, named.Terms.Name, ByVersion ? version : null);
        }

        /// <summary>
        /// A unit's list price: its service's, or for a category's units (and a package's sessions) the dearest service it
        /// could be spent on, so the liability is never understated.
        /// </summary>
        public long UnitPrice(string benefitKey)
        {
            var target = benefitKey[(benefitKey.IndexOf(':', StringComparison.Ordinal) + 1)..];
            return Catalogue.Services.Where(s => s.Id == target || s.Category == target).Select(s => s.Price.Amount).DefaultIfEmpty(0).Max();
        }
    }
}
