using System.Collections.Immutable;
using MedSpa.Members;
using MedSpa.Plans;

namespace MedSpa.Domain.Credits;

/// <summary>A grant of credit under one benefit key, drawn down by redemptions and negative adjustments.</summary>
public sealed record Lot(
    string LotId,
    string BenefitKey,
    BenefitKind Kind,
    LotSource Source,
    long Granted,
    long Remaining,
    DateTimeOffset GrantedAt,
    DateTimeOffset? ExpiresAt);

/// <summary>
/// A member's credits: lots per benefit key, the redemptions drawn from them, and the counters behind the invariant
/// <c>allocated + adjusted = redeemed + expired + balance</c> per key, with no balance ever below zero.
/// Decisions return the events that would record them (stamped <c>now</c>) and change nothing; <see cref="Apply"/>
/// folds an event in. A refused decision throws <see cref="CommandRejectedException"/>.
/// </summary>
public sealed record CreditLedger
{
    public static CreditLedger Empty { get; } = new();

    /// <summary>Every lot ever granted, in grant order, including used-up and expired ones.</summary>
    public ImmutableList<Lot> Lots { get; init; } = [];

    public ImmutableDictionary<string, RedemptionView> Redemptions { get; init; } = ImmutableDictionary<string, RedemptionView>.Empty;

    /// <summary>When the credits were frozen, or null when they are not.</summary>
    public DateTimeOffset? FrozenSince { get; init; }

    /// <summary>Lots issued so far; lot ids are <c>lot_1</c>, <c>lot_2</c>, ... in issue order.</summary>
    public int LotsIssued { get; init; }

    /// <summary>Folds a credit event in; any other member event leaves the ledger as it is.</summary>
    public CreditLedger Apply(MemberEvent e) => throw new NotImplementedException();

    /// <summary>
    /// A paid period's credits: one lot per unit or dollar benefit (discounts have no balance), expiring at
    /// <paramref name="periodEnd"/>, or never (null) when the benefit rolls over. For a rolling benefit the balance
    /// after the allocation never exceeds its maximum accumulation: the excess expires (<see cref="ExpiryReason.RolloverCap"/>)
    /// from the existing lots, soonest-expiring first, before the new lot is granted.
    /// </summary>
    public IReadOnlyList<MemberEvent> Allocate(IEnumerable<Benefit> benefits, DateTimeOffset periodEnd, string reference, DateTimeOffset now) =>
        throw new NotImplementedException();

    /// <summary>A lot from outside the period allocation: an add-on, a package, a bonus.</summary>
    public IReadOnlyList<MemberEvent> Grant(string benefitKey, BenefitKind kind, LotSource source, long quantity, DateTimeOffset? expiresAt, string? reference, DateTimeOffset now) =>
        throw new NotImplementedException();

    /// <summary>
    /// Takes <see cref="RedemptionRequest.Quantity"/> from the usable lots of the key, soonest-expiring first (lots that
    /// never expire last, then oldest first). Replaying the same redemption id with the same key and quantity returns no
    /// events; with a different key or quantity it is refused (409 <c>redemption_id_reused</c>). Refusals:
    /// 400 <c>invalid_quantity</c>, 409 <c>insufficient_credits</c>, 409 <c>credits_frozen</c>.
    /// </summary>
    public IReadOnlyList<MemberEvent> Redeem(RedemptionRequest request, string? checkoutId, DateTimeOffset now) =>
        throw new NotImplementedException();

    /// <summary>
    /// Puts a redemption's draws back into the lots they came from (a lot that has lapsed since then is expired by the
    /// next <see cref="ExpireDue"/>). Voiding twice returns no events. 404 <c>redemption_not_found</c>, 400 <c>reason_required</c>.
    /// </summary>
    public IReadOnlyList<MemberEvent> Void(string redemptionId, string reason, DateTimeOffset now) =>
        throw new NotImplementedException();

    /// <summary>
    /// Staff correction. Positive: a new lot expiring at <paramref name="expiresAt"/>. Negative: drawn like a redemption.
    /// Idempotent by adjustment id. 400 <c>reason_required</c>, 400 <c>invalid_quantity</c> (zero),
    /// 409 <c>insufficient_credits</c>, 409 <c>adjustment_id_reused</c>.
    /// </summary>
    public IReadOnlyList<MemberEvent> Adjust(CreditAdjustmentRequest request, BenefitKind kind, DateTimeOffset? expiresAt, DateTimeOffset now) =>
        throw new NotImplementedException();

    /// <summary>Expires what is left of every lot whose expiry has passed (not while frozen).</summary>
    public IReadOnlyList<MemberEvent> ExpireDue(DateTimeOffset now) => throw new NotImplementedException();

    /// <summary>The membership ended: everything left expires, except packages, which were bought outright.</summary>
    public IReadOnlyList<MemberEvent> ExpireAll(DateTimeOffset now) => throw new NotImplementedException();

    public IReadOnlyList<MemberEvent> Freeze(DateTimeOffset now) => throw new NotImplementedException();

    /// <summary>Unfreezes; every dated lot's expiry moves back by the time spent frozen.</summary>
    public IReadOnlyList<MemberEvent> Unfreeze(DateTimeOffset now) => throw new NotImplementedException();

    /// <summary>What can be redeemed from a key at <paramref name="now"/>: lots not yet lapsed (frozen time does not count).</summary>
    public long Available(string benefitKey, DateTimeOffset now) => throw new NotImplementedException();

    /// <summary>Every key's balance at <paramref name="now"/>; lots that have lapsed but are not yet recorded as expired count as expired.</summary>
    public IReadOnlyList<BenefitBalance> Balances(DateTimeOffset now, string? currency) => throw new NotImplementedException();

    /// <summary>The ledger view of a member's event log: one entry per change to a balance, with the balance after it.</summary>
    public static IReadOnlyList<LedgerEntry> History(IEnumerable<(long Seq, MemberEvent Event)> events) => throw new NotImplementedException();
}
