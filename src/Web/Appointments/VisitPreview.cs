using MedSpa.Members;
using MedSpa.Plans;
using MedSpa.Practice;
using MedSpa.Web.Members;

namespace MedSpa.Web.Appointments;

/// <summary>
/// The checkout preview of a visit in the desk's words, the same on the schedule and in the portal: "uses 1 Botox
/// unit", "uses 50.00 USD of facial credit · 149.00 USD to pay", or just the price.
/// </summary>
public static class VisitPreview
{
    public static string Describe(CheckoutQuote quote, IReadOnlyList<Service> services)
    {
        var parts = quote.Lines.SelectMany(l => l.Credits).Select(use => use.Kind == BenefitKind.TreatmentUnits
                ? $"uses {use.Quantity} {Target(use.BenefitKey, services)} {(use.Quantity == 1 ? "unit" : "units")}"
                : $"uses {MemberFormat.Amount(use.Value)} of {Target(use.BenefitKey, services)} credit")
            .ToList();
        if (quote.AmountDue.Amount > 0 || parts.Count == 0)
        {
            parts.Add(parts.Count == 0 ? MemberFormat.Amount(quote.AmountDue) : $"{MemberFormat.Amount(quote.AmountDue)} to pay");
        }

        if (quote.DiscountApplied.Amount > 0)
        {
            parts.Add($"member discount {MemberFormat.Amount(quote.DiscountApplied)}");
        }

        return string.Join(" · ", parts);
    }

    /// <summary>What a benefit key (<c>units:neurotoxin</c>, <c>units:svc_…</c>, <c>dollars:facial</c>) is for, by name.</summary>
    public static string Target(string benefitKey, IReadOnlyList<Service> services)
    {
        var target = benefitKey[(benefitKey.IndexOf(':', StringComparison.Ordinal) + 1)..];
        return services.FirstOrDefault(s => s.Id == target)?.Name ?? target;
    }
}
