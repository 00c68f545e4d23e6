using System.Globalization;
using System.Text.RegularExpressions;

namespace MedSpa.Domain;

public static partial class Prices
{
    /// <summary>Largest single price the practice can set: <see cref="Limits.MaxAmount"/>.</summary>
    public const long MaxAmount = Limits.MaxAmount;

    /// <summary>A price is a non-negative whole number of minor units in a three-letter currency.</summary>
    public static Money Require(Money? price)
    {
        if (price is null || !CurrencyPattern().IsMatch(price.Currency ?? ""))
        {
            throw Reject.Invalid("invalid_currency", "A price needs an ISO 4217 currency in lower case, such as usd.");
        }

        return price.Amount is >= 0 and <= MaxAmount
            ? price
            : throw Reject.Invalid("invalid_amount", string.Create(CultureInfo.InvariantCulture,
                $"An amount is from 0.00 to {MaxAmount / 100m:0.00}: a whole number of minor units from 0 to {MaxAmount}."));
    }

    /// <summary>For people reading a refusal: <c>349.00 USD</c> rather than <c>34900 usd</c>.</summary>
    public static string Format(Money price) =>
        string.Create(CultureInfo.InvariantCulture, $"{price.Amount / 100m:0.00} {price.Currency.ToUpperInvariant()}");

    [GeneratedRegex("^[a-z]{3}$")]
    private static partial Regex CurrencyPattern();
}
