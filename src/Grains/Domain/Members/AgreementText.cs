using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MedSpa.Plans;
using MedSpa.Practice;

namespace MedSpa.Domain.Members;

/// <summary>Everything the membership agreement states, as of the day it is signed.</summary>
public sealed record AgreementTerms(
    string MemberName,
    string PlanId,
    int PlanVersion,
    PlanTerms Plan,
    IReadOnlyDictionary<string, Service> Services,
    Location HomeLocation,
    DateOnly EnrolledOn,
    int AnchorDay,
    DateOnly TermEnd);

/// <summary>
/// The membership agreement rendered from the plan's terms: price, included services, minimum term, cancellation
/// and pause rules. The text is what is signed and hashed, so the same terms always render the same text.
/// </summary>
public static class AgreementText
{
    // The member signs these exact bytes; nothing here may depend on the server's culture, clock or line endings.
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Days before the term end that the member is told the membership goes on month to month (DESIGN.md).</summary>
    private const int TermEndNoticeDays = 30;

    public static string Render(AgreementTerms terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var plan = terms.Plan;
        var text = new AgreementWriter();

        text.Line("MEMBERSHIP AGREEMENT");
        text.Blank();
        text.Line($"Member: {Inline(terms.MemberName)}");
        text.Line($"Plan: {Inline(plan.Name)} ({Inline(terms.PlanId)}, version {terms.PlanVersion.ToString(Invariant)})");
        text.Line($"Home location: {Inline(terms.HomeLocation.Name)} (time zone {Inline(terms.HomeLocation.TimeZone)})");
        text.Line($"Enrolment date: {Date(terms.EnrolledOn)}");
        if (!string.IsNullOrWhiteSpace(plan.Description))
        {
            text.Blank();
            text.Line(Inline(plan.Description));
        }

        text.Section("Price and billing");
        text.Line($"The membership costs {Amount(plan.MonthlyPrice)} per month. The first month is paid at enrolment.");
        text.Line(
            $"After that, {Amount(plan.MonthlyPrice)} is charged on the {Ordinal(terms.AnchorDay)} day of each month, " +
            "or on the month's last day when the month is shorter. " +
            $"Billing dates are days in the time zone of your home location ({Inline(terms.HomeLocation.TimeZone)}).");

        text.Section("Included benefits");
        if (plan.Benefits.Count == 0)
        {
            text.Line("This plan includes no treatments, credits or discounts.");
        }
        else
        {
            text.Line("Each month of membership includes:");
            foreach (var benefit in plan.Benefits)
            {
                text.Line($"- {Describe(benefit, terms.Services, plan.MonthlyPrice.Currency)}");
            }

            text.Line("A month's treatments and credits become available when that month's payment succeeds. " +
                "If you change to a plan that does not include a benefit, what you have rolled over of it ends when your first month on the new plan begins.");
        }

        var addOns = plan.AddOns ?? [];
        if (addOns.Count > 0)
        {
            text.Section("Add-ons for sale");
            text.Line("Members may buy these extras at any time:");
            foreach (var addOn in addOns)
            {
                text.Line($"- {Describe(addOn, terms.Services)}");
            }
        }

        text.Section("Minimum term");
        if (plan.MinimumTermMonths > 0)
        {
            text.Line(
                $"The minimum term is {Count(plan.MinimumTermMonths, "month")}; it ends on {Date(terms.TermEnd)}. " +
                $"After the term end the membership continues month to month; you will be reminded {TermEndNoticeDays.ToString(Invariant)} days before the term end.");
        }
        else
        {
            text.Line("There is no minimum term; the membership runs month to month from the enrolment date.");
        }

        text.Section("Cancellation");
        if (plan.MinimumTermMonths > 0)
        {
            text.Line(
                $"If you cancel before the term end ({Date(terms.TermEnd)}), billing continues until the term end. " +
                "Before you confirm, you are shown the remaining obligation: the monthly price for each billing date left before the term end.");
            if (plan.Cancellation == CancellationPolicy.BuyOut)
            {
                text.Line("Rather than being billed until the term end, you may instead pay the remaining obligation at once.");
            }

            text.Line("After the term, cancellation takes effect at the end of the current billing period.");
        }
        else
        {
            text.Line("You may cancel at any time; cancellation takes effect at the end of the current billing period.");
        }

        text.Line(
            "Your credits stay usable until the cancellation takes effect, then expire. " +
            "You will be asked for a reason when you cancel.");

        text.Section("Pause");
        var pause = plan.Pause ?? new PauseRules();
        if (pause.MaxDays <= 0 || pause.TimesPer12Months <= 0)
        {
            text.Line("Pausing is not available on this plan.");
        }
        else
        {
            text.Line(
                $"You may pause the membership for up to {Count(pause.MaxDays, "day")} at a time, " +
                $"{Times(pause.TimesPer12Months)} in any 12 months. " +
                "While paused, billing stops and your credits are frozen; their expiry dates are pushed back by the length of the pause. " +
                "The month you are in is extended by the days paused, so your next payment moves by as many days, and that day becomes your billing day.");
        }

        text.Section("Where the membership is honoured");
        var locations = plan.LocationIds ?? [];
        text.Line(locations.Count == 0
            ? "The membership is honoured at all locations of the practice."
            : $"The membership is honoured at these locations: {string.Join(", ", locations.Select(Inline))}.");

        text.Section("Electronic signature");
        text.Line(
            "By typing your full name and ticking the box to accept, you sign this agreement electronically, " +
            "with the same effect as a handwritten signature. A copy of this exact text is kept with your membership record.");

        return text.ToString();
    }

    /// <summary>Lower-case hex SHA-256 of the text's UTF-8 bytes.</summary>
    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Describe(Benefit benefit, IReadOnlyDictionary<string, Service> services, string currency)
    {
        switch (benefit.Kind)
        {
            case BenefitKind.TreatmentUnits:
                var units = benefit.Units ?? 0;
                var unitRollover = benefit.Rollover is { } r
                    ? $"Unused {Subject(benefit.ServiceId, benefit.Category, services)} treatments roll over up to {r.MaxAccumulation.ToString(Invariant)} in total."
                    : "Unused treatments expire at the end of each billing period.";
                return $"{units.ToString(Invariant)} × {Treatment(benefit.ServiceId, benefit.Category, services)} (per month). {unitRollover}";

            case BenefitKind.DollarCredit:
                var amount = benefit.Amount ?? new Money(0, currency);
                var category = Inline(benefit.Category ?? "treatment");
                var creditRollover = benefit.Rollover is { } d
                    ? $"Unused {category} credit rolls over up to {Amount(new Money(d.MaxAccumulation, amount.Currency))} in total."
                    : "Unused credit expires at the end of each billing period.";
                return $"{Amount(amount)} of {category} credit per month. {creditRollover}";

            case BenefitKind.Discount:
                return $"{(benefit.Percent ?? 0).ToString(Invariant)}% off {DiscountTarget(benefit, services)}.";

            default:
                throw new ArgumentOutOfRangeException(nameof(benefit), benefit.Kind, "Unknown benefit kind.");
        }
    }

    private static string Describe(AddOn addOn, IReadOnlyDictionary<string, Service> services)
    {
        var what = addOn.Kind switch
        {
            BenefitKind.TreatmentUnits => $"{(addOn.Units ?? 0).ToString(Invariant)} × {Treatment(addOn.ServiceId, addOn.Category, services)}",
            BenefitKind.DollarCredit => $"{Amount(addOn.Amount ?? new Money(0, addOn.Price.Currency))} of {Inline(addOn.Category ?? "treatment")} credit",
            BenefitKind.Discount => $"a discount on {(addOn.Category is { } c ? Inline(c) : "all retail")}",
            _ => throw new ArgumentOutOfRangeException(nameof(addOn), addOn.Kind, "Unknown add-on kind."),
        };
        return $"{Inline(addOn.Name)}: {what} for {Amount(addOn.Price)}, usable for {Count(addOn.ValidForDays, "day")} from purchase.";
    }

    /// <summary>A service by its menu name, or "any … treatment" for a category-wide benefit.</summary>
    private static string Treatment(string? serviceId, string? category, IReadOnlyDictionary<string, Service> services) =>
        serviceId is not null
            ? ServiceName(serviceId, services)
            : $"any {Inline(category)} treatment";

    private static string Subject(string? serviceId, string? category, IReadOnlyDictionary<string, Service> services) =>
        serviceId is not null ? ServiceName(serviceId, services) : Inline(category);

    private static string DiscountTarget(Benefit benefit, IReadOnlyDictionary<string, Service> services) =>
        (benefit.ServiceId, benefit.Category) switch
        {
            ({ } serviceId, _) => ServiceName(serviceId, services),
            (null, { } category) => Inline(category),
            _ => "all retail",
        };

    // A plan can name a service later taken off the menu; the id still says precisely what was promised.
    private static string ServiceName(string serviceId, IReadOnlyDictionary<string, Service> services) =>
        Inline(services.TryGetValue(serviceId, out var service) ? service.Name : serviceId);

    /// <summary>"$199.00 USD": minor units over 100, which holds for every currency the practice can bill in today.</summary>
    private static string Amount(Money money)
    {
        var currency = money.Currency.ToUpperInvariant();
        var symbol = money.Currency switch
        {
            "usd" or "cad" or "aud" => "$",
            "eur" => "€",
            "gbp" => "£",
            _ => "",
        };
        var magnitude = money.Amount == long.MinValue ? (ulong)long.MaxValue + 1 : (ulong)Math.Abs(money.Amount);
        var sign = money.Amount < 0 ? "-" : "";
        var number = $"{(magnitude / 100).ToString("N0", Invariant)}.{(magnitude % 100).ToString("00", Invariant)}";
        return $"{sign}{symbol}{number} {currency}";
    }

    private static string Date(DateOnly date) => date.ToString("d MMMM yyyy", Invariant);

    private static string Ordinal(int day)
    {
        var suffix = (day % 100) switch
        {
            11 or 12 or 13 => "th",
            _ => (day % 10) switch
            {
                1 => "st",
                2 => "nd",
                3 => "rd",
                _ => "th",
            },
        };
        return day.ToString(Invariant) + suffix;
    }

    private static string Count(int n, string unit) => $"{n.ToString(Invariant)} {unit}{(n == 1 ? "" : "s")}";

    private static string Times(int n) => n switch
    {
        1 => "once",
        2 => "twice",
        _ => $"{n.ToString(Invariant)} times",
    };

    /// <summary>
    /// Names typed by people go into a text whose lines matter: any line break or control character becomes a space,
    /// so the agreement only ever has '\n' line endings of its own.
    /// </summary>
    private static string Inline(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            builder.Append(char.IsControl(c) || c is '\u2028' or '\u2029' ? ' ' : c);
        }

        return builder.ToString().Trim();
    }

    private sealed class AgreementWriter
    {
        private readonly StringBuilder _text = new();
        private int _sections;

        public void Line(string line) => _text.Append(line).Append('\n');

        public void Blank() => _text.Append('\n');

        public void Section(string title)
        {
            _sections++;
            Blank();
            Line($"{_sections.ToString(Invariant)}. {title}");
        }

        public override string ToString() => _text.ToString();
    }
}
