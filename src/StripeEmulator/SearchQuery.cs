using System.Text;
using System.Text.Json.Nodes;

namespace MedSpa.StripeEmulator;

/// <summary>One exact-match clause of Stripe's search language: <c>field:'value'</c> or <c>metadata['key']:'value'</c>.</summary>
public sealed record SearchClause(string[] Path, string Value)
{
    public bool Matches(JsonObject resource)
    {
        JsonNode? node = resource;
        foreach (var segment in Path)
        {
            node = node is JsonObject obj ? obj[segment] : null;
        }

        return node is JsonValue value && value.TryGetValue<string>(out var text) && text == Value;
    }
}

public static class SearchQuery
{
    public static IReadOnlyList<SearchClause> Parse(string query)
    {
        var clauses = new List<SearchClause>();
        var position = 0;
        while (true)
        {
            SkipSpaces(query, ref position);
            if (position >= query.Length)
            {
                break;
            }

            var field = ReadWhile(query, ref position, c => char.IsAsciiLetterOrDigit(c) || c == '_' || c == '.');
            string[] path;
            if (field == "metadata" && Peek(query, position) == '[')
            {
                position++;
                var key = ReadQuoted(query, ref position);
                Expect(query, ref position, ']');
                path = ["metadata", key];
            }
            else if (field.Length > 0)
            {
                path = field.Split('.');
            }
            else
            {
                throw Invalid(query);
            }

            Expect(query, ref position, ':');
            clauses.Add(new SearchClause(path, ReadQuoted(query, ref position)));
            SkipSpaces(query, ref position);
            if (position < query.Length)
            {
                var joiner = ReadWhile(query, ref position, char.IsAsciiLetter);
                if (!string.Equals(joiner, "AND", StringComparison.Ordinal))
                {
                    throw Invalid(query);
                }
            }
        }

        return clauses.Count > 0 ? clauses : throw Invalid(query);
    }

    private static StripeApiException Invalid(string query) =>
        StripeApiException.InvalidRequest($"The emulator understands exact-match clauses joined by AND; could not parse: {query}", "query");

    private static char? Peek(string text, int position) => position < text.Length ? text[position] : null;

    private static void SkipSpaces(string text, ref int position)
    {
        while (position < text.Length && text[position] == ' ')
        {
            position++;
        }
    }

    private static string ReadWhile(string text, ref int position, Func<char, bool> accept)
    {
        var start = position;
        while (position < text.Length && accept(text[position]))
        {
            position++;
        }

        return text[start..position];
    }

    private static void Expect(string text, ref int position, char expected)
    {
        if (Peek(text, position) != expected)
        {
            throw Invalid(text);
        }

        position++;
    }

    private static string ReadQuoted(string text, ref int position)
    {
        var quote = Peek(text, position);
        if (quote is not ('\'' or '"'))
        {
            throw Invalid(text);
        }

        position++;
        var value = new StringBuilder();
        while (position < text.Length && text[position] != quote)
        {
            if (text[position] == '\\' && position + 1 < text.Length)
            {
                position++;
            }

            value.Append(text[position]);
            position++;
        }

        Expect(text, ref position, quote.Value);
        return value.ToString();
    }
}
