using MedSpa.Reporting;

namespace MedSpa.Web.Reporting;

/// <summary>Every report the <c>/reports</c> page shows, for one query, asked of the reports grain together.</summary>
public sealed record ReportSet(
    ReportQuery Query,
    MrrReport Mrr,
    ActiveMembersReport ActiveMembers,
    ChurnReport Churn,
    CreditUtilisationReport Credits,
    RevenuePerClientReport Revenue,
    TierMigrationReport Migration,
    LiabilityReport Liability,
    AtRiskReport AtRisk)
{
    public static async Task<ReportSet> LoadAsync(IReportsGrain reports, ReportQuery query)
    {
        var mrr = reports.GetMrrAsync(query);
        var active = reports.GetActiveMembersAsync(query);
        var churn = reports.GetChurnAsync(query);
        var credits = reports.GetCreditUtilisationAsync(query);
        var revenue = reports.GetRevenuePerClientAsync(query);
        var migration = reports.GetTierMigrationAsync(query);
        var liability = reports.GetLiabilityAsync(query);
        var atRisk = reports.GetAtRiskAsync(query);
        await Task.WhenAll(mrr, active, churn, credits, revenue, migration, liability, atRisk);
        return new ReportSet(query, await mrr, await active, await churn, await credits, await revenue, await migration, await liability, await atRisk);
    }
}
