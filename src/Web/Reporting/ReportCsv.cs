using System.Globalization;
using System.Reflection;
using System.Text.Json;

namespace MedSpa.Web.Reporting;

/// <summary>
/// Rows as RFC 4180 CSV, for the reports and the practice's exports alike: a header of snake_case column names in the
/// row's declared order, invariant numbers, ISO dates and instants, enum values as the JSON writes them, so a
/// spreadsheet or a script reads back exactly the figures the JSON carries. Text that a spreadsheet would run as a
/// formula (a client named <c>=HYPERLINK(…)</c>) is written with a leading apostrophe.
/// </summary>
public static class ReportCsv
{
    private const string LineEnd = "\r\n";

    public static string Write<T>(IEnumerable<T> rows)
    {
        var columns = Columns<T>();
        using var csv = new StringWriter(CultureInfo.InvariantCulture);
        csv.Write(Header(columns));
        foreach (var row in rows)
        {
            csv.Write(Line(columns, row));
        }

        return csv.ToString();
    }

    /// <summary>
    /// Writes the header, then each page's rows as it arrives, flushing after each page so a long file streams to the
    /// client instead of waiting in memory.
    /// </summary>
    public static async Task WriteAsync<T>(TextWriter output, IAsyncEnumerable<IReadOnlyList<T>> pages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(pages);
        var columns = Columns<T>();
        await output.WriteAsync(Header(columns).AsMemory(), cancellationToken);
        await foreach (var page in pages.WithCancellation(cancellationToken))
        {
            foreach (var row in page)
            {
                await output.WriteAsync(Line(columns, row).AsMemory(), cancellationToken);
            }

            await output.FlushAsync(cancellationToken);
        }
    }

    private static PropertyInfo[] Columns<T>() => typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
        .ToArray();

    private static string Header(PropertyInfo[] columns) =>
        string.Join(',', columns.Select(c => JsonNamingPolicy.SnakeCaseLower.ConvertName(c.Name))) + LineEnd;

    private static string Line<T>(PropertyInfo[] columns, T row) => string.Join(',', columns.Select(c => Cell(c.GetValue(row)))) + LineEnd;

    private static string Cell(object? value) => value switch
    {
        null => "",
        string text => Quote(text),
        bool flag => flag ? "true" : "false",
        DateOnly day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset instant => instant.ToString("O", CultureInfo.InvariantCulture),
        Enum code => JsonNamingPolicy.SnakeCaseLower.ConvertName(code.ToString()),
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => Quote(value.ToString() ?? ""),
    };

    private static string Quote(string text)
    {
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            text = "'" + text;
        }

        return text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;
    }
}
