using MedSpa.Plans;

namespace MedSpa.Domain.Credits;

/// <summary>
/// The names of balances. A benefit of a plan, an add-on and a package that cover the same thing feed the same key,
/// so a member sees one balance per thing they can have, and keys survive plan versions and plan changes.
/// </summary>
public static class BenefitKeys
{
    /// <summary>Unit credits for one service (<c>units:svc_…</c>) or any service of a category (<c>units:neurotoxin</c>).</summary>
    public static string Units(string serviceIdOrCategory) => $"units:{serviceIdOrCategory}";

    /// <summary>Dollar credit to spend on a category: <c>dollars:facial</c>.</summary>
    public static string Dollars(string category) => $"dollars:{category}";

    /// <summary>Discount on a category, or on all retail: <c>discount:all</c>.</summary>
    public static string Discount(string? category) => $"discount:{category ?? "all"}";

    /// <summary>Sessions of a package bought outright: <c>package:svc_…</c>.</summary>
    public static string Package(string serviceId) => $"package:{serviceId}";

    /// <summary>The key a benefit or add-on feeds, from its kind and target.</summary>
    public static string For(BenefitKind kind, string? serviceId, string? category) => kind switch
    {
        BenefitKind.TreatmentUnits => Units(serviceId ?? category ?? throw new ArgumentException("A unit credit needs a service or a category.")),
        BenefitKind.DollarCredit => Dollars(category ?? throw new ArgumentException("A dollar credit needs a category.")),
        BenefitKind.Discount => Discount(category),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
