using System.Diagnostics;
using MedSpa.Grains.Reporting;
using MedSpa.Reporting;

namespace MedSpa.Bench.Reports;

/// <summary>A report query asked of the projection: which range, which location, split by plan version or not.</summary>
public sealed record ReportCase(string Name, ReportQuery Query);

/// <summary>One timed unit: a report endpoint (the reader calls its grain makes, in order) or a single reader query.</summary>
public sealed record Timed(string Case, string Name, string Queries, int Rows, double MedianMs, double P95Ms, double MaxMs, double LimitMs)
{
    public double Ratio => MedianMs / LimitMs;

    public bool Passed => MedianMs < LimitMs;
}

/// <summary>
/// Times every report over the projection: a warm-up run, then <c>runs</c> timed runs of each, median, p95 and max,
/// each figure against the one-second limit. The time is from asking to holding every row in memory (Npgsql reads
/// them into the reader's records), on one connection from the pool; the grain's shaping of those rows is not in it.
/// </summary>
public sealed class ReportTimer(ReportReader reader, int runs, double limitMs)
{
    /// <summary>Each report endpoint and the reader queries its grain method runs (ReportsGrain), in the same order.</summary>
    public IReadOnlyList<(string Report, string Queries, Func<ReportQuery, Task<int>> Run)> Reports =>
    [
        ("mrr", "Membership", async q => (await reader.MembershipAsync(q)).Count),
        ("active-members", "Membership", async q => (await reader.MembershipAsync(q)).Count),
        ("churn", "Membership + ChurnReasons", async q => (await reader.MembershipAsync(q)).Count + (await reader.ChurnReasonsAsync(q)).Count),
        ("credit-utilisation", "Credits", async q => (await reader.CreditsAsync(q)).Count),
        ("revenue-per-client", "Revenue + PayingClients", async q => (await reader.RevenueAsync(q)).Count + (await reader.PayingClientsAsync(q)).Count),
        ("tier-migration", "PlanMoves", async q => (await reader.PlanMovesAsync(q)).Count),
        ("liability", "Credits + Deferred", async q => (await reader.CreditsAsync(q)).Count + (await reader.DeferredAsync(q)).Count),
        ("at-risk", "AtRisk", async q => (await reader.AtRiskAsync(q)).Count),
    ];

    /// <summary>Every method of <see cref="ReportReader"/> on its own.</summary>
    public IReadOnlyList<(string Query, Func<ReportQuery, Task<int>> Run)> Queries =>
    [
        ("MembershipAsync", async q => (await reader.MembershipAsync(q)).Count),
        ("ChurnReasonsAsync", async q => (await reader.ChurnReasonsAsync(q)).Count),
        ("CreditsAsync", async q => (await reader.CreditsAsync(q)).Count),
        ("DeferredAsync", async q => (await reader.DeferredAsync(q)).Count),
        ("RevenueAsync", async q => (await reader.RevenueAsync(q)).Count),
        ("PayingClientsAsync", async q => (await reader.PayingClientsAsync(q)).Count),
        ("PlanMovesAsync", async q => (await reader.PlanMovesAsync(q)).Count),
        ("AtRiskAsync", async q => (await reader.AtRiskAsync(q)).Count),
    ];

    public async Task<Timed> TimeAsync(ReportCase reportCase, string name, string queries, Func<ReportQuery, Task<int>> run)
    {
        var rows = await run(reportCase.Query); // warm-up: plans cached, pages in shared buffers
        var times = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            rows = await run(reportCase.Query);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        var median = runs % 2 == 1 ? times[runs / 2] : (times[(runs / 2) - 1] + times[runs / 2]) / 2;
        var p95 = times[Math.Min(runs - 1, (int)Math.Ceiling(0.95 * runs) - 1)];
        return new Timed(reportCase.Name, name, queries, rows, median, p95, times[^1], limitMs);
    }
}
