using MedSpa.Domain.Credits;
using MedSpa.Members;

namespace MedSpa.Domain.Tests.Credits;

internal static class LedgerTesting
{
    /// <summary>The ledger after the events a decision returned, folded in the order given.</summary>
    public static CreditLedger With(this CreditLedger ledger, IEnumerable<MemberEvent> events) =>
        events.Aggregate(ledger, (folded, e) => folded.Apply(e));

    /// <summary>What a key's lots hold, lapsed or not: the balance the events have recorded.</summary>
    public static long RecordedBalance(this CreditLedger ledger, string benefitKey) =>
        ledger.Lots.Where(lot => lot.BenefitKey == benefitKey).Sum(lot => lot.Remaining);
}

/// <summary>Balances compared with their lots by content (records compare lists by reference).</summary>
internal sealed class BalanceComparer : IEqualityComparer<BenefitBalance>
{
    public static BalanceComparer Instance { get; } = new();

    public bool Equals(BenefitBalance? x, BenefitBalance? y) =>
        x is null || y is null ? ReferenceEquals(x, y) : x with { Lots = y.Lots } == y && x.Lots.SequenceEqual(y.Lots);

    public int GetHashCode(BenefitBalance obj) => HashCode.Combine(obj.BenefitKey, obj.Balance);
}
