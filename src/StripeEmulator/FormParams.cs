using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace MedSpa.StripeEmulator;

/// <summary>
/// Stripe's request parameters: form-encoded bodies and query strings with bracket nesting (<c>metadata[k]=v</c>,
/// <c>invoice_settings[default_payment_method]=pm</c>) and lists written either as <c>expand[]</c> or, as Stripe.net
/// does, <c>expand[0]</c>. Kept flat: the handlers ask for the paths they understand and ignore the rest, as Stripe
/// ignores nothing but we have no need to validate what we do not emulate.
/// </summary>
public sealed class FormParams
{
    private readonly List<KeyValuePair<string, string>> _pairs;

    private FormParams(List<KeyValuePair<string, string>> pairs) => _pairs = pairs;

    public static async Task<FormParams> ReadAsync(HttpRequest request)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var (key, values) in request.Query)
        {
            foreach (var value in values)
            {
                pairs.Add(new(key, value ?? string.Empty));
            }
        }

        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
            foreach (var (key, values) in form)
            {
                foreach (var value in values)
                {
                    pairs.Add(new(key, value ?? string.Empty));
                }
            }
        }

        return new FormParams(pairs);
    }

    public static FormParams Empty { get; } = new([]);

    /// <summary>Order-insensitive digest of every parameter: what "the same request" means for idempotency.</summary>
    public string Fingerprint()
    {
        var builder = new StringBuilder();
        foreach (var (key, value) in _pairs.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal))
        {
            builder.Append(key).Append('=').Append(value).Append('&');
        }

        return builder.ToString();
    }

    public string? Get(string key) => _pairs.LastOrDefault(p => p.Key == key).Value;

    public bool Has(string key) => _pairs.Exists(p => p.Key == key);

    public long? GetLong(string key)
    {
        var text = Get(key);
        if (text is null)
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw StripeApiException.InvalidRequest($"Invalid integer: {text}", key);
    }

    public bool GetBool(string key) => string.Equals(Get(key), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary><c>name[k]=v</c> pairs as a map (metadata).</summary>
    public IReadOnlyDictionary<string, string> GetMap(string name)
    {
        var prefix = name + "[";
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in _pairs)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal) && key.EndsWith(']') && key.IndexOf('[', prefix.Length) < 0)
            {
                map[key[prefix.Length..^1]] = value;
            }
        }

        return map;
    }

    /// <summary><c>name[]=a&amp;name[]=b</c> or <c>name[0]=a&amp;name[1]=b</c>.</summary>
    public IReadOnlyList<string> GetList(string name)
    {
        var prefix = name + "[";
        return _pairs
            .Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal) && p.Key.EndsWith(']')
                && p.Key[prefix.Length..^1].All(char.IsAsciiDigit))
            .Select(p => p.Value)
            .ToList();
    }
}
