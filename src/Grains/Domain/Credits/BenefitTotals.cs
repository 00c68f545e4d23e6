using MedSpa.Plans;

namespace MedSpa.Domain.Credits;

/// <summary>
/// The recorded movements of one benefit key. They are counted apart from the lots, so that
/// <c>Allocated + Adjusted = Redeemed + Expired + what the lots hold</c> is something the ledger keeps, not something
/// it computes into being true.
/// </summary>
public sealed record BenefitTotals(BenefitKind Kind, long Allocated, long Adjusted, long Redeemed, long Expired)
{
    public static BenefitTotals None(BenefitKind kind) => new(kind, 0, 0, 0, 0);
}
