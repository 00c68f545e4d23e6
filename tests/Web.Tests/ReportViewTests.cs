using System.Text.Json;
using MedSpa.Reporting;
using MedSpa.Web.Reporting;

namespace MedSpa.Web.Tests;

/// <summary>
/// How the <c>/reports</c> page sums the grain's monthly rows over a range: MRR now from the last month, revenue per
/// paying client-month, credit totals and rates, the migration matrix's cells, and the charts carrying the same figures.
/// </summary>
public sealed class ReportViewTests
{
    private static readonly ReportQuery Query = new(new DateOnly(2025, 1, 1), new DateOnly(2025, 3, 15), "loc_1");

    [Fact]
    public void Mrr_now_is_the_last_months_and_every_month_of_the_range_is_charted()
    {
        var view = View(mrr:
        [
            new MrrRow("2025-01", "plan_premium", "Premium", null, 1, 19_900),
            new MrrRow("2025-03", "plan_premium", "Premium", null, 2, 39_800),
            new MrrRow("2025-03", "plan_basic", "Basic", null, 1, 9_900),
        ]);

        Assert.Equal(["2025-01", "2025-02", "2025-03"], view.Months);
        Assert.Equal(["Basic 1 9900", "Premium 2 39800"], view.MrrNow.Select(t => $"{t.Tier.PlanName} {t.Members} {t.Mrr}"));
        Assert.Equal("497.00 USD", view.Money(view.MrrNowTotal));
        Assert.Equal([19_900L, 0, 49_700], view.MrrByMonth.Select(m => m.Total));
        var chart = JsonDocument.Parse(view.MrrChart).RootElement;
        Assert.Equal(("bar", "money", true), (chart.GetProperty("type").GetString(), chart.GetProperty("unit").GetString(), chart.GetProperty("stacked").GetBoolean()));
        Assert.Equal([199m, 0m, 398m], chart.GetProperty("datasets")[1].GetProperty("data").EnumerateArray().Select(d => d.GetDecimal()));
        Assert.Equal("/api/v1/reports/mrr?from=2025-01-01&to=2025-03-15&location=loc_1&by=plan&format=csv", view.CsvUrl("mrr"));
    }

    [Fact]
    public void Revenue_per_client_divides_the_ranges_revenue_by_its_paying_client_months()
    {
        var view = View(revenue:
        [
            new RevenuePerClientRow("2025-01", "membership", 39_800, 0, 2, 3, 0, 0),
            new RevenuePerClientRow("2025-01", "neurotoxin", 30_000, 60_000, 2, 3, 0, 0),
            new RevenuePerClientRow("2025-02", "membership", 39_800, 0, 2, 0, 0, 0),
            new RevenuePerClientRow("2025-03", "membership", 19_900, 0, 1, 1, 0, 0),
            new RevenuePerClientRow("2025-03", "neurotoxin", 0, 30_000, 1, 1, 0, 0),
        ]);

        Assert.Equal((5L, 4L), (view.MemberMonths, view.NonMemberMonths));
        Assert.Equal(
            ["membership 99500 0 19900 0", "neurotoxin 30000 90000 6000 22500"],
            view.Revenue.Select(r => $"{r.Type} {r.MemberRevenue} {r.NonMemberRevenue} {r.PerMember} {r.PerNonMember}"));
        Assert.Equal((25_900L, 22_500L), (view.RevenueTotal.PerMember, view.RevenueTotal.PerNonMember));
    }

    [Fact]
    public void Credits_are_summed_over_the_range_with_units_and_dollars_apart()
    {
        var view = View(credits:
        [
            new CreditUtilisationRow("2025-01", "plan_premium", "Premium", null, "units", 2, 1, 0, 0, 1, 0.5m, 0),
            new CreditUtilisationRow("2025-02", "plan_premium", "Premium", null, "units", 2, 2, 1, 0, 0, 1, 0.5m),
            new CreditUtilisationRow("2025-03", "plan_premium", "Premium", null, "units", 2, 1, 0, 1, 2, 0.5m, 0),
            new CreditUtilisationRow("2025-03", "plan_premium", "Premium", null, "dollars", 5_000, 2_500, 0, 0, 2_500, 0.5m, 0),
        ]);

        var units = Assert.Single(view.UnitCredits);
        Assert.Equal((6L, 4L, 1L, 1L, 2L, 0.6667m, 0.1667m), (units.Allocated, units.Redeemed, units.Expired, units.Adjusted, units.Open, units.RedemptionRate, units.ExpiryRate));
        Assert.Equal("66.67%", ReportView.Rate(units.RedemptionRate));
        var dollars = Assert.Single(view.DollarCredits);
        Assert.Equal("25.00 USD", view.Quantity("dollars", dollars.Open));
    }

    [Fact]
    public void The_migration_matrix_has_a_cell_per_pair_of_tiers()
    {
        Tier basic = new("plan_basic", "Basic", null), premium = new("plan_premium", "Premium", null);
        var view = View(migration: new TierMigrationReport(Query, [basic, premium],
        [
            new TierMigrationRow("plan_basic", "Basic", null, "plan_premium", "Premium", null, "upgrade", 2),
            new TierMigrationRow("plan_premium", "Premium", null, "plan_basic", "Basic", null, "downgrade", 1),
        ]));

        Assert.Equal((2L, "upgrade"), view.Cell(basic, premium));
        Assert.Equal((0L, (string?)null), view.Cell(basic, basic));
        Assert.Equal((2L, 1L), (view.MovesIn("upgrade"), view.MovesIn("downgrade")));
        var chart = JsonDocument.Parse(view.MigrationChart).RootElement;
        // A bar per tier moved from, a dataset per tier moved to.
        Assert.Equal([2L, 0], chart.GetProperty("datasets")[1].GetProperty("data").EnumerateArray().Select(d => d.GetInt64()));
    }

    private static ReportView View(
        IReadOnlyList<MrrRow>? mrr = null, IReadOnlyList<RevenuePerClientRow>? revenue = null, IReadOnlyList<CreditUtilisationRow>? credits = null,
        TierMigrationReport? migration = null) =>
        new(new ReportSet(
            Query,
            new MrrReport(Query, "usd", mrr ?? []),
            new ActiveMembersReport(Query, []),
            new ChurnReport(Query, [], []),
            new CreditUtilisationReport(Query, credits ?? []),
            new RevenuePerClientReport(Query, "usd", revenue ?? []),
            migration ?? new TierMigrationReport(Query, [], []),
            new LiabilityReport(Query, "usd", []),
            new AtRiskReport(Query, [])));
}
