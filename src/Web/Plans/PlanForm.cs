using System.Globalization;
using MedSpa.Plans;

namespace MedSpa.Web.Plans;

/// <summary>
/// The plan editor's form: every field of <see cref="PlanTerms"/> as an administrator types it (money in dollars and
/// cents, blank for "not set"). It only translates; the plan grain's rules decide what is valid, so the form and the
/// API accept and refuse exactly the same plans.
/// </summary>
public sealed class PlanForm
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public string? MonthlyPrice { get; set; }

    public string Currency { get; set; } = "usd";

    public int? MinimumTermMonths { get; set; }

    public List<BenefitRow> Benefits { get; set; } = [];

    public List<AddOnRow> AddOns { get; set; } = [];

    public int? PauseMaxDays { get; set; }

    public int? PauseTimesPer12Months { get; set; }

    public CancellationPolicy Cancellation { get; set; }

    public bool OfferReactivation { get; set; }

    public int? OfferDiscountPercent { get; set; }

    public string? OfferBonusBenefitKey { get; set; }

    public long? OfferBonusQuantity { get; set; }

    public int? OfferSendAfterDays { get; set; }

    public List<string> LocationIds { get; set; } = [];

    public static PlanForm From(PlanTerms terms)
    {
        var pause = terms.Pause ?? new PauseRules();
        var currency = terms.MonthlyPrice.Currency;
        return new PlanForm
        {
            Name = terms.Name,
            Description = terms.Description,
            MonthlyPrice = Dollars(terms.MonthlyPrice.Amount),
            Currency = currency,
            MinimumTermMonths = terms.MinimumTermMonths,
            Benefits = [.. terms.Benefits.Select(b => new BenefitRow
            {
                Kind = b.Kind,
                ServiceId = b.ServiceId,
                Category = b.Category,
                Units = b.Units,
                Amount = b.Amount is { } amount ? Dollars(amount.Amount) : null,
                Percent = b.Percent,
                RolloverCap = b.Rollover is { } rollover
                    ? b.Kind == BenefitKind.DollarCredit ? Dollars(rollover.MaxAccumulation) : rollover.MaxAccumulation.ToString(CultureInfo.InvariantCulture)
                    : null,
            })],
            AddOns = [.. (terms.AddOns ?? []).Select(a => new AddOnRow
            {
                Name = a.Name,
                Price = Dollars(a.Price.Amount),
                Kind = a.Kind,
                ServiceId = a.ServiceId,
                Category = a.Category,
                Units = a.Units,
                Amount = a.Amount is { } amount ? Dollars(amount.Amount) : null,
                ValidForDays = a.ValidForDays,
            })],
            PauseMaxDays = pause.MaxDays,
            PauseTimesPer12Months = pause.TimesPer12Months,
            Cancellation = terms.Cancellation,
            OfferReactivation = terms.ReactivationOffer is not null,
            OfferDiscountPercent = terms.ReactivationOffer?.FirstMonthDiscountPercent,
            OfferBonusBenefitKey = terms.ReactivationOffer?.BonusBenefitKey,
            OfferBonusQuantity = terms.ReactivationOffer?.BonusQuantity,
            OfferSendAfterDays = terms.ReactivationOffer?.SendAfterDays,
            LocationIds = [.. terms.LocationIds ?? []],
        };
    }

    /// <summary>The terms as typed. Only what cannot be put into terms at all (an amount that is not one) is refused here.</summary>
    public PlanTerms ToTerms()
    {
        var currency = string.IsNullOrWhiteSpace(Currency) ? "usd" : Currency.Trim().ToLowerInvariant();
        return new PlanTerms(
            Name?.Trim() ?? "",
            string.IsNullOrWhiteSpace(Description) ? null : Description.Trim(),
            new Money(MinorUnits(MonthlyPrice, "The monthly price") ?? 0, currency),
            MinimumTermMonths ?? 0,
            [.. Benefits.Where(b => !b.IsBlank).Select(b => new Benefit(
                b.Kind,
                Blank(b.ServiceId),
                Blank(b.Category),
                b.Units,
                MinorUnits(b.Amount, "A benefit's amount") is { } amount ? new Money(amount, currency) : null,
                b.Percent,
                RolloverOf(b)))],
            [.. AddOns.Where(a => !a.IsBlank).Select(a => new AddOn(
                a.Name?.Trim() ?? "",
                new Money(MinorUnits(a.Price, $"The price of the add-on \"{a.Name}\"") ?? 0, currency),
                a.Kind,
                Blank(a.ServiceId),
                Blank(a.Category),
                a.Units,
                MinorUnits(a.Amount, $"The amount of the add-on \"{a.Name}\"") is { } amount ? new Money(amount, currency) : null,
                a.ValidForDays ?? 365))],
            PauseMaxDays is null && PauseTimesPer12Months is null ? null : new PauseRules(PauseMaxDays ?? 60, PauseTimesPer12Months ?? 1),
            Cancellation,
            OfferReactivation
                ? new ReactivationOffer(OfferDiscountPercent ?? 0, Blank(OfferBonusBenefitKey), OfferBonusQuantity ?? 0, OfferSendAfterDays)
                : null,
            LocationIds.Count == 0 ? null : LocationIds);
    }

    /// <summary>Minor units as an administrator reads them: <c>199.00</c>.</summary>
    public static string Dollars(long minorUnits) => (minorUnits / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    private static Rollover? RolloverOf(BenefitRow row)
    {
        if (string.IsNullOrWhiteSpace(row.RolloverCap))
        {
            return null;
        }

        // A dollar credit's cap is money like its amount; a unit benefit's cap is a count of units.
        return row.Kind == BenefitKind.DollarCredit
            ? new Rollover(MinorUnits(row.RolloverCap, "A rollover cap") ?? 0)
            : long.TryParse(row.RolloverCap.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var units)
                ? new Rollover(units)
                : throw new CommandRejectedException(RejectionKind.Invalid, "invalid_rollover", $"A rollover cap of units is a whole number, not \"{row.RolloverCap}\".");
    }

    /// <summary>Dollars and cents as typed (<c>199.00</c>) in minor units; null when blank, refused when not an amount.</summary>
    public static long? MinorUnits(string? typed, string what)
    {
        if (string.IsNullOrWhiteSpace(typed))
        {
            return null;
        }

        return Members.MemberFormat.MinorUnits(typed)
            ?? throw new CommandRejectedException(RejectionKind.Invalid, "invalid_amount", $"{what} must be an amount such as 199.00, not \"{typed}\".");
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

/// <summary>One benefit line of the editor; a line left entirely blank is no benefit.</summary>
public sealed class BenefitRow
{
    public BenefitKind Kind { get; set; }

    public string? ServiceId { get; set; }

    public string? Category { get; set; }

    public int? Units { get; set; }

    public string? Amount { get; set; }

    public int? Percent { get; set; }

    public string? RolloverCap { get; set; }

    internal bool IsBlank => string.IsNullOrWhiteSpace(ServiceId) && string.IsNullOrWhiteSpace(Category) && Units is null
        && string.IsNullOrWhiteSpace(Amount) && Percent is null && string.IsNullOrWhiteSpace(RolloverCap);
}

/// <summary>One add-on line of the editor; a line left entirely blank is no add-on.</summary>
public sealed class AddOnRow
{
    public string? Name { get; set; }

    public string? Price { get; set; }

    public BenefitKind Kind { get; set; }

    public string? ServiceId { get; set; }

    public string? Category { get; set; }

    public int? Units { get; set; }

    public string? Amount { get; set; }

    public int? ValidForDays { get; set; }

    internal bool IsBlank => string.IsNullOrWhiteSpace(Name) && string.IsNullOrWhiteSpace(Price) && string.IsNullOrWhiteSpace(ServiceId)
        && string.IsNullOrWhiteSpace(Category) && Units is null && string.IsNullOrWhiteSpace(Amount);
}
