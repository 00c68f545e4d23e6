using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace MedSpa.Web.Reporting;

/// <summary>
/// Report rows as RFC 4180 CSV: a header of snake_case column names in the row's declared order, invariant numbers and
/// ISO dates, so a spreadsheet or a script reads back exactly the figures the JSON carries. Text that a spreadsheet
/// would run as a formula (a client named <c>=HYPERLINK(…)</c>) is written with a leading apostrophe.
/// </summary>
public static class ReportCsv
{
    public static string Write<T>(IEnumerable<T> rows)
    {
        var columns = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
            .ToArray();
        var csv = new StringBuilder();
        csv.AppendJoin(',', columns.Select(c => JsonNamingPolicy.SnakeCaseLower.ConvertName(c.Name))).Append("\r\n");
        foreach (var row in rows)
        {
            csv.AppendJoin(',', columns.Select(c => Cell(c.GetValue(row)))).Append("\r\n");
        }

        return csv.ToString();
    }

    private static string Cell(object? value) => value switch
    {
        null => "",
        string text => Quote(text),
        bool flag => flag ? "true" : "false",
        DateOnly day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
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
