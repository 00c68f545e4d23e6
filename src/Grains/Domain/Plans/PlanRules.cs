using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using MedSpa.Domain.Credits;
using MedSpa.Plans;
using MedSpa.Practice;

namespace MedSpa.Domain.Plans;

/// <summary>
/// What a tier's terms must satisfy, checked against the practice's service menu and locations. A valid request
/// comes back normalised (trimmed, keys set, defaults filled in, duplicates removed), so two requests that mean the
/// same tier give equal terms and one that breaks a rule is refused with a stable code.
/// </summary>
public static class PlanRules
{
    public const string IdPrefix = "plan_";
    public const int MaxNameLength = 100;
    public const int MaxDescriptionLength = 2000;
    public const int MaxMinimumTermMonths = 60;
    public const int MaxBenefits = 20;
    public const int MaxAddOns = 20;
    public const int MaxUnits = 100;
    public const int MaxValidForDays = 730;
    public const int MaxPauseDays = 365;
    public const int MaxPausesPer12Months = 12;

    /// <summary>The latest an automatic reactivation offer may go: the day before the lapse leaves the 90-day window.</summary>
    public const int MaxReactivationSendAfterDays = Members.Member.ReactivationWindowDays - 1;

    /// <summary>The id a new plan takes from its name (<c>VIP Plus</c> → <c>plan_vip-plus</c>); it stays when the plan is renamed.</summary>
    public static string IdFor(string? name)
    {
        var slug = Slug(RequireName(name));
        return slug.Length > 0
            ? IdPrefix + slug
            : throw Reject.Invalid("invalid_name", "A plan's name needs at least one letter or digit to make its id from.");
    }

    /// <summary>
    /// Lower-case ASCII letters and digits, every other run of characters a single <c>-</c>, none at either end.
    /// Accents are dropped first so <c>Lumière</c> reads <c>lumiere</c> rather than <c>lumi-re</c>.
    /// </summary>
    public static string Slug(string text)
    {
        var slug = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(char.ToLowerInvariant(c));
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }

        return slug.ToString().TrimEnd('-');
    }

    /// <summary>The terms as the plan will keep them, or a refusal naming the first rule they break.</summary>
    public static PlanTerms Normalise(PlanTerms terms, PracticeCatalogue catalogue)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(catalogue);

        var name = RequireName(terms.Name);
        var description = string.IsNullOrWhiteSpace(terms.Description) ? null : terms.Description.Trim();
        if (description?.Length > MaxDescriptionLength)
        {
            throw Reject.Invalid("invalid_description", $"A plan's description is at most {MaxDescriptionLength} characters.");
        }

        var price = Prices.Require(terms.MonthlyPrice);
        if (price.Amount == 0)
        {
            throw Reject.Invalid("invalid_price", "A plan's monthly price must be more than zero.");
        }

        if (terms.MinimumTermMonths is < 0 or > MaxMinimumTermMonths)
        {
            throw Reject.Invalid("invalid_minimum_term", $"The minimum term is 0 to {MaxMinimumTermMonths} months.");
        }

        if (!Enum.IsDefined(terms.Cancellation))
        {
            throw Reject.Invalid("invalid_cancellation_policy", "The cancellation policy is continue_to_term_end or buy_out.");
        }

        var menu = new Menu(catalogue);
        var benefits = BenefitsOf(terms.Benefits ?? [], menu, price.Currency);
        return new PlanTerms(
            name,
            description,
            price,
            terms.MinimumTermMonths,
            benefits,
            AddOnsOf(terms.AddOns ?? [], menu, price.Currency),
            PauseOf(terms.Pause),
            terms.Cancellation,
            OfferOf(terms.ReactivationOffer, benefits),
            LocationsOf(terms.LocationIds ?? [], catalogue));
    }

    /// <summary>
    /// Whether two normalised terms describe the same tier. Records compare their lists by reference, so the lists
    /// are compared item by item here.
    /// </summary>
    public static bool Same(PlanTerms a, PlanTerms b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Name == b.Name
            && a.Description == b.Description
            && a.MonthlyPrice == b.MonthlyPrice
            && a.MinimumTermMonths == b.MinimumTermMonths
            && a.Benefits.SequenceEqual(b.Benefits)
            && (a.AddOns ?? []).SequenceEqual(b.AddOns ?? [])
            && a.Pause == b.Pause
            && a.Cancellation == b.Cancellation
            && a.ReactivationOffer == b.ReactivationOffer
            && (a.LocationIds ?? []).SequenceEqual(b.LocationIds ?? []);
    }

    private static string RequireName(string? name)
    {
        var trimmed = name?.Trim() ?? "";
        return trimmed.Length is > 0 and <= MaxNameLength
            ? trimmed
            : throw Reject.Invalid("invalid_name", $"A plan needs a name of 1 to {MaxNameLength} characters.");
    }

    private static ImmutableList<Benefit> BenefitsOf(IReadOnlyList<Benefit> requested, Menu menu, string currency)
    {
        if (requested.Count > MaxBenefits)
        {
            throw Reject.Invalid("too_many_benefits", $"A plan has at most {MaxBenefits} benefits.");
        }

        var benefits = ImmutableList.CreateBuilder<Benefit>();
        foreach (var benefit in requested)
        {
            var next = BenefitOf(benefit ?? throw Reject.Invalid("invalid_benefit", "A benefit cannot be null."), menu, currency);
            if (benefits.Any(b => b.Key == next.Key))
            {
                throw Reject.Invalid("duplicate_benefit", $"The plan already has a benefit for {next.Key}; give it one benefit per service or category.");
            }

            benefits.Add(next);
        }

        return benefits.ToImmutable();
    }

    private static Benefit BenefitOf(Benefit benefit, Menu menu, string currency)
    {
        var serviceId = Blank(benefit.ServiceId);
        var category = CategoryOf(benefit.Category);
        switch (benefit.Kind)
        {
            case BenefitKind.TreatmentUnits:
            {
                menu.RequireTarget(serviceId, category);
                if (benefit.Amount is not null || benefit.Percent is not null)
                {
                    throw Reject.Invalid("invalid_benefit", "A treatment-units benefit has units, not an amount or a percent.");
                }

                var units = RequireUnits(benefit.Units);
                return new Benefit(BenefitKind.TreatmentUnits, serviceId, category, Units: units,
                    Rollover: RolloverOf(benefit.Rollover, units), Key: BenefitKeys.For(BenefitKind.TreatmentUnits, serviceId, category));
            }

            case BenefitKind.DollarCredit:
            {
                menu.RequireCategoryTarget(serviceId, category, "A dollar credit");
                if (benefit.Units is not null || benefit.Percent is not null)
                {
                    throw Reject.Invalid("invalid_benefit", "A dollar-credit benefit has an amount, not units or a percent.");
                }

                var amount = RequireAmount(benefit.Amount, currency, "A dollar credit");
                return new Benefit(BenefitKind.DollarCredit, Category: category, Amount: amount,
                    Rollover: RolloverOf(benefit.Rollover, amount.Amount), Key: BenefitKeys.For(BenefitKind.DollarCredit, null, category));
            }

            case BenefitKind.Discount:
            {
                if (serviceId is not null)
                {
                    throw Reject.Invalid("invalid_benefit", "A discount applies to a category or to all retail, not to one service.");
                }

                if (category is not null)
                {
                    menu.RequireCategory(category);
                }

                if (benefit.Units is not null || benefit.Amount is not null)
                {
                    throw Reject.Invalid("invalid_benefit", "A discount has a percent, not units or an amount.");
                }

                if (benefit.Percent is not (>= 1 and <= 100))
                {
                    throw Reject.Invalid("invalid_percent", "A discount is 1 to 100 percent.");
                }

                if (benefit.Rollover is not null)
                {
                    throw Reject.Invalid("invalid_rollover", "A discount has no balance, so nothing of it can roll over.");
                }

                return new Benefit(BenefitKind.Discount, Category: category, Percent: benefit.Percent,
                    Key: BenefitKeys.For(BenefitKind.Discount, null, category));
            }

            default:
                throw Reject.Invalid("invalid_benefit", "A benefit is treatment_units, dollar_credit or discount.");
        }
    }

    private static Rollover? RolloverOf(Rollover? rollover, long allocation)
    {
        if (rollover is null)
        {
            return null;
        }

        if (rollover.MaxAccumulation < allocation)
        {
            throw Reject.Invalid("rollover_cap_below_allocation",
                $"The most that can accumulate ({rollover.MaxAccumulation}) is below one period's allocation ({allocation}).");
        }

        // Balances are summed and multiplied elsewhere; the same ceiling as prices keeps that arithmetic safe.
        return rollover.MaxAccumulation <= Prices.MaxAmount
            ? rollover
            : throw Reject.Invalid("invalid_rollover", $"The most that can accumulate is at most {Prices.MaxAmount}.");
    }

    private static ImmutableList<AddOn> AddOnsOf(IReadOnlyList<AddOn> requested, Menu menu, string currency)
    {
        if (requested.Count > MaxAddOns)
        {
            throw Reject.Invalid("too_many_add_ons", $"A plan has at most {MaxAddOns} add-ons.");
        }

        var addOns = ImmutableList.CreateBuilder<AddOn>();
        foreach (var addOn in requested)
        {
            var next = AddOnOf(addOn ?? throw Reject.Invalid("invalid_add_on", "An add-on cannot be null."), menu, currency);
            if (addOns.Any(a => a.Key == next.Key))
            {
                throw Reject.Invalid("duplicate_add_on", $"The plan already has an add-on called \"{next.Key}\".");
            }

            addOns.Add(next);
        }

        return addOns.ToImmutable();
    }

    private static AddOn AddOnOf(AddOn addOn, Menu menu, string currency)
    {
        var name = addOn.Name?.Trim() ?? "";
        var key = Slug(name);
        if (name.Length > MaxNameLength || key.Length == 0)
        {
            throw Reject.Invalid("invalid_add_on", $"An add-on needs a name of 1 to {MaxNameLength} characters with at least one letter or digit.");
        }

        var price = Prices.Require(addOn.Price);
        if (price.Amount == 0)
        {
            throw Reject.Invalid("invalid_price", $"The add-on \"{name}\" needs a price of more than zero.");
        }

        RequireCurrency(price, currency);
        if (addOn.ValidForDays is < 1 or > MaxValidForDays)
        {
            throw Reject.Invalid("invalid_validity", $"An add-on's credit lasts 1 to {MaxValidForDays} days.");
        }

        var serviceId = Blank(addOn.ServiceId);
        var category = CategoryOf(addOn.Category);
        switch (addOn.Kind)
        {
            case BenefitKind.TreatmentUnits:
                menu.RequireTarget(serviceId, category);
                if (addOn.Amount is not null)
                {
                    throw Reject.Invalid("invalid_benefit", "A treatment-units add-on has units, not an amount.");
                }

                return new AddOn(name, price, BenefitKind.TreatmentUnits, serviceId, category, Units: RequireUnits(addOn.Units),
                    ValidForDays: addOn.ValidForDays, Key: key);

            case BenefitKind.DollarCredit:
                menu.RequireCategoryTarget(serviceId, category, "A dollar-credit add-on");
                if (addOn.Units is not null)
                {
                    throw Reject.Invalid("invalid_benefit", "A dollar-credit add-on has an amount, not units.");
                }

                return new AddOn(name, price, BenefitKind.DollarCredit, Category: category,
                    Amount: RequireAmount(addOn.Amount, currency, "A dollar-credit add-on"), ValidForDays: addOn.ValidForDays, Key: key);

            default:
                throw Reject.Invalid("invalid_add_on", "An add-on sells treatment_units or dollar_credit; a discount cannot be bought.");
        }
    }

    private static PauseRules PauseOf(PauseRules? pause)
    {
        pause ??= new PauseRules();
        return pause is { MaxDays: >= 1 and <= MaxPauseDays, TimesPer12Months: >= 0 and <= MaxPausesPer12Months }
            ? pause
            : throw Reject.Invalid("invalid_pause_rules",
                $"A pause lasts 1 to {MaxPauseDays} days and is allowed 0 to {MaxPausesPer12Months} times in 12 months (0: never).");
    }

    private static ReactivationOffer? OfferOf(ReactivationOffer? offer, ImmutableList<Benefit> benefits)
    {
        if (offer is null)
        {
            return null;
        }

        var bonusKey = Blank(offer.BonusBenefitKey);
        var valid = offer.FirstMonthDiscountPercent is >= 0 and <= 100
            && offer.BonusQuantity >= 0
            // A bonus needs both what and how much; half of one is a mistake, not an offer.
            && (bonusKey is null) == (offer.BonusQuantity == 0)
            // The bonus is granted as one lot when the member comes back, so it is held to what one grant may carry.
            && (bonusKey is null || benefits.Any(b => b.Key == bonusKey && b.Kind != BenefitKind.Discount && offer.BonusQuantity <= Limits.MaxCredit(b.Kind)));
        if (!valid)
        {
            throw Reject.Invalid("invalid_reactivation_offer",
                "A reactivation offer is a first-month discount of 0 to 100 percent and/or a bonus quantity of one of the plan's unit or dollar benefits (by its key).");
        }

        if (offer.SendAfterDays is < 1 or > MaxReactivationSendAfterDays)
        {
            throw Reject.Invalid("invalid_reactivation_send_after_days",
                $"A reactivation offer is sent by itself 1 to {MaxReactivationSendAfterDays} days after the membership ended (it must arrive while the member can still accept it), or only by hand (null).");
        }

        // An offer of nothing is no offer.
        return offer.FirstMonthDiscountPercent == 0 && bonusKey is null
            ? null
            : new ReactivationOffer(offer.FirstMonthDiscountPercent, bonusKey, offer.BonusQuantity, offer.SendAfterDays);
    }

    /// <summary>In the catalogue's order, so the same set of locations always reads the same.</summary>
    private static ImmutableList<string> LocationsOf(IReadOnlyList<string> requested, PracticeCatalogue catalogue)
    {
        foreach (var id in requested)
        {
            if (!catalogue.Locations.Any(l => l.Id == id))
            {
                throw Reject.Invalid("unknown_location", $"There is no location \"{id}\".");
            }
        }

        return catalogue.Locations.Select(l => l.Id).Where(requested.Contains).ToImmutableList();
    }

    private static int RequireUnits(int? units) =>
        units is >= 1 and <= MaxUnits
            ? units.Value
            : throw Reject.Invalid("invalid_units", $"Units are a whole number from 1 to {MaxUnits}.");

    private static Money RequireAmount(Money? amount, string currency, string what)
    {
        if (amount is null)
        {
            throw Reject.Invalid("invalid_benefit", $"{what} needs an amount.");
        }

        var checkedAmount = Prices.Require(amount);
        if (checkedAmount.Amount == 0)
        {
            throw Reject.Invalid("invalid_amount", $"{what} must be worth more than zero.");
        }

        RequireCurrency(checkedAmount, currency);
        return checkedAmount;
    }

    private static void RequireCurrency(Money money, string currency)
    {
        if (money.Currency != currency)
        {
            throw Reject.Invalid("currency_mismatch", $"Amounts in a plan are in its currency ({currency}), not {money.Currency}.");
        }
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static string? CategoryOf(string? category) => Blank(category)?.ToLowerInvariant();

    /// <summary>What benefits and add-ons may point at: the services on the menu and the categories they are in.</summary>
    private sealed class Menu(PracticeCatalogue catalogue)
    {
        public void RequireTarget(string? serviceId, string? category)
        {
            if ((serviceId is null) == (category is null))
            {
                throw Reject.Invalid("invalid_benefit", "Treatment units are for one service or one category: give exactly one of serviceId and category.");
            }

            if (serviceId is not null && !catalogue.Services.Any(s => s.Id == serviceId))
            {
                throw Reject.Invalid("unknown_service", $"There is no service \"{serviceId}\" on the menu.");
            }

            if (category is not null)
            {
                RequireCategory(category);
            }
        }

        public void RequireCategoryTarget(string? serviceId, string? category, string what)
        {
            if (serviceId is not null || category is null)
            {
                throw Reject.Invalid("invalid_benefit", $"{what} is spent on a category: give a category and no serviceId.");
            }

            RequireCategory(category);
        }

        public void RequireCategory(string category)
        {
            if (!catalogue.Services.Any(s => s.Category == category))
            {
                throw Reject.Invalid("unknown_category", $"No service on the menu is in the category \"{category}\".");
            }
        }
    }
}
