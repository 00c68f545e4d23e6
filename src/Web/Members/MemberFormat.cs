using System.Globalization;
using System.Text.Json;
using MedSpa.Members;
using MedSpa.Plans;

namespace MedSpa.Web.Members;

/// <summary>How the staff pages write money, balances and states, the same way the notices and the API do.</summary>
public static class MemberFormat
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Minor units as the notices write them: <c>199.00 USD</c>.</summary>
    public static string Amount(Money? money) =>
        money is null ? "" : string.Create(Invariant, $"{money.Amount / 100m:0.00} {money.Currency.ToUpperInvariant()}");

    /// <summary>An enum as the API spells it (<c>pending_payment</c>), which is also its CSS class on the pages.</summary>
    public static string Code<T>(T value) where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    /// <summary>The status as the desk reads it: <c>Pending payment</c>.</summary>
    public static string Words<T>(T value) where T : struct, Enum
    {
        var code = Code(value).Replace('_', ' ');
        return char.ToUpperInvariant(code[0]) + code[1..];
    }

    /// <summary>A membership status as the desk reads it; a client who never enrolled is not a member rather than "none".</summary>
    public static string Status(MembershipStatus status) => status == MembershipStatus.None ? "Not a member" : Words(status);

    /// <summary>A balance in its own terms: units are counted, dollar credit is money.</summary>
    public static string Quantity(BenefitKind kind, long quantity, string? currency) => kind == BenefitKind.DollarCredit
        ? Amount(new Money(quantity, currency ?? "usd"))
        : quantity.ToString(Invariant);

    public static string Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", Invariant) ?? "";

    /// <summary>An instant on the practice clock, to the minute, in UTC: the desk compares it with the API's.</summary>
    public static string Instant(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", Invariant) ?? "";

    /// <summary>
    /// When a balance first lapses: the instant, "rolls over" when something is left that never lapses, or nothing.
    /// /assets/live.js writes the same words when a push changes it.
    /// </summary>
    public static string Expiry(DateTimeOffset? soonest, bool anyLeft) => soonest is { } at ? Instant(at) : anyLeft ? "rolls over" : "";

    /// <summary>
    /// Parses an amount typed on a page (<c>12.50</c>) into minor units; null when it is not one (negative, more than
    /// two decimals, or beyond what minor units can hold). The one parser of typed money for every page.
    /// </summary>
    public static long? MinorUnits(string? typed) =>
        decimal.TryParse(typed?.Trim(), NumberStyles.Number, Invariant, out var value) && value >= 0 && decimal.Round(value, 2) == value && value < long.MaxValue / 100
            ? (long)(value * 100)
            : null;
}
