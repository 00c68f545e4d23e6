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
            : throw Reject.Invalid("invalid_amount", $"An amount is a whole number of minor units from 0 to {MaxAmount}.");
    }

    [GeneratedRegex("^[a-z]{3}$")]
    private static partial Regex CurrencyPattern();
}
