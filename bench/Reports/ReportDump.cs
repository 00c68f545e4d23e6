using System.Globalization;
using MedSpa.Grains.Reporting;

namespace MedSpa.Bench.Reports;

/// <summary>
/// Every <see cref="ReportReader"/> query's rows as text, one per line, for a diff: a change to the report SQL that is
/// meant to be faster only must leave this file exactly as it was on the same data.
/// </summary>
public static class ReportDump
{
    public static async Task WriteAsync(ReportReader reader, IEnumerable<ReportCase> cases, string path, CancellationToken cancellationToken)
    {
        await using var file = new StreamWriter(path);
        foreach (var c in cases)
        {
            var q = c.Query;
            await file.WriteLineAsync($"# {c.Name}: {q.From:yyyy-MM-dd}..{q.To:yyyy-MM-dd} location={q.LocationId ?? "all"} by_version={q.ByVersion}".AsMemory(), cancellationToken);
            await Section(file, "MembershipAsync", await reader.MembershipAsync(q, cancellationToken), cancellationToken);
            await Section(file, "ChurnReasonsAsync", await reader.ChurnReasonsAsync(q, cancellationToken), cancellationToken);
            await Section(file, "CreditsAsync", await reader.CreditsAsync(q, cancellationToken), cancellationToken);
            await Section(file, "DeferredAsync", await reader.DeferredAsync(q, cancellationToken), cancellationToken);
            await Section(file, "RevenueAsync", await reader.RevenueAsync(q, cancellationToken), cancellationToken);
            await Section(file, "PayingClientsAsync", await reader.PayingClientsAsync(q, cancellationToken), cancellationToken);
            await Section(file, "PlanMovesAsync", await reader.PlanMovesAsync(q, cancellationToken), cancellationToken);
            await Section(file, "AtRiskAsync", await reader.AtRiskAsync(q, cancellationToken), cancellationToken);
        }
    }

    private static async Task Section<T>(StreamWriter file, string name, List<T> rows, CancellationToken cancellationToken)
    {
        await file.WriteLineAsync($"## {name}: {rows.Count} rows".AsMemory(), cancellationToken);
        foreach (var row in rows)
        {
            await file.WriteLineAsync(Convert.ToString(row, CultureInfo.InvariantCulture).AsMemory(), cancellationToken);
        }
    }
}
