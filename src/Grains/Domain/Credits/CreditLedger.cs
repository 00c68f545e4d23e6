using System.Collections.Immutable;
using System.Globalization;
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
    private const string LotPrefix = "lot_";

    public static CreditLedger Empty { get; } = new();

    /// <summary>Every lot ever granted, in grant order, including used-up and expired ones.</summary>
    public ImmutableList<Lot> Lots { get; init; } = [];

    public ImmutableDictionary<string, RedemptionView> Redemptions { get; init; } = ImmutableDictionary<string, RedemptionView>.Empty;

    /// <summary>Every staff correction by adjustment id, so a retried request is recognised and a reused id refused.</summary>
    public ImmutableDictionary<string, CreditsAdjusted> Adjustments { get; init; } = ImmutableDictionary<string, CreditsAdjusted>.Empty;

    /// <summary>Per benefit key ever granted: what was allocated, adjusted, redeemed and expired.</summary>
    public ImmutableDictionary<string, BenefitTotals> Totals { get; init; } = ImmutableDictionary<string, BenefitTotals>.Empty;

    /// <summary>When the credits were frozen, or null when they are not.</summary>
    public DateTimeOffset? FrozenSince { get; init; }

    /// <summary>Lots issued so far; lot ids are <c>lot_1</c>, <c>lot_2</c>, ... in issue order.</summary>
    public int LotsIssued { get; init; }

    /// <summary>Folds a credit event in; any other member event leaves the ledger as it is.</summary>
    /// <remarks>
    /// An event already folded in (same lot, redemption or adjustment id, a second void, a second freeze) returns this
    /// very instance, so a log with a duplicated row still reads right. Draws from lots the ledger never issued, or
    /// beyond what a lot holds, mean the log was not written by this ledger: that throws rather than guess.
    /// </remarks>
    public CreditLedger Apply(MemberEvent e) => e switch
    {
        CreditsAllocated allocated => Applying(allocated),
        CreditsRedeemed redeemed => Applying(redeemed),
        RedemptionVoided voided => Applying(voided),
        CreditsAdjusted adjusted => Applying(adjusted),
        CreditsExpired expired => Applying(expired),
        CreditsFrozen frozen => FrozenSince is null ? this with { FrozenSince = frozen.OccurredAt } : this,
        CreditsUnfrozen unfrozen => Applying(unfrozen),
        _ => this,
    };

    /// <summary>
    /// A paid period's credits: one lot per unit or dollar benefit (discounts have no balance), expiring at
    /// <paramref name="periodEnd"/>, or never (null) when the benefit rolls over. For a rolling benefit the balance
    /// after the allocation never exceeds its maximum accumulation: the excess expires (<see cref="ExpiryReason.RolloverCap"/>)
    /// from the existing lots, soonest-expiring first, before the new lot is granted.
    /// </summary>
    public IReadOnlyList<MemberEvent> Allocate(IEnumerable<Benefit> benefits, DateTimeOffset periodEnd, string reference, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(benefits);
        var decision = new Decision(this);
        foreach (var benefit in benefits)
        {
            var quantity = benefit.Kind switch
            {
                BenefitKind.TreatmentUnits => benefit.Units ?? 0,
                BenefitKind.DollarCredit => benefit.Amount?.Amount ?? 0,
                _ => 0,
            };
            decision.Allocate(benefit, quantity, periodEnd, reference, now);
        }

        return decision.Events;
    }

    /// <summary>
    /// Part of a period's credit under <paramref name="benefit"/>'s rules (an upgrade's prorated extra): rolling over
    /// within the benefit's cap when it rolls over, else expiring at <paramref name="periodEnd"/>, exactly as the
    /// period's own allocation would.
    /// </summary>
    public IReadOnlyList<MemberEvent> AllocatePart(Benefit benefit, long quantity, DateTimeOffset periodEnd, string reference, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(benefit);
        var decision = new Decision(this);
        decision.Allocate(benefit, quantity, periodEnd, reference, now);
        return decision.Events;
    }

    /// <summary>
    /// Rolled-over period credit (allocation and bonus lots that never expire) of every benefit not in <paramref name="kept"/>:
    /// what will end because the plan no longer includes it. Add-ons, packages and staff corrections are not touched.
    /// </summary>
    public IEnumerable<Lot> RolledOverOutside(IReadOnlySet<string> kept) =>
        Lots.Where(lot => lot.Remaining > 0 && lot.Source is LotSource.Allocation or LotSource.Bonus && lot.ExpiresAt is null && !kept.Contains(lot.BenefitKey));

    /// <summary>Ends the rolled-over credit of benefits the plan no longer includes (see <see cref="RolledOverOutside"/>).</summary>
    public IReadOnlyList<MemberEvent> ExpireDropped(IReadOnlySet<string> kept, DateTimeOffset now) =>
        RolledOverOutside(kept)
            .Select(lot => new CreditsExpired(lot.LotId, lot.BenefitKey, lot.Remaining, ExpiryReason.BenefitDropped) { OccurredAt = now })
            .ToArray<MemberEvent>();

    /// <summary>A lot from outside the period allocation: an add-on, a package, a bonus.</summary>
    public IReadOnlyList<MemberEvent> Grant(string benefitKey, BenefitKind kind, LotSource source, long quantity, DateTimeOffset? expiresAt, string? reference, DateTimeOffset now)
    {
        RequireKey(benefitKey);
        if (quantity <= 0)
        {
            throw Reject.Invalid("invalid_quantity", "A grant of credit must be of at least one unit or one cent.");
        }

        Limits.RequireCredit(kind, quantity);
        return One(new CreditsAllocated(NextLotId, benefitKey, kind, source, quantity, expiresAt, reference) { OccurredAt = now });
    }

    /// <summary>
    /// Takes <see cref="RedemptionRequest.Quantity"/> from the usable lots of the key, soonest-expiring first (lots that
    /// never expire last, then oldest first). Replaying the same redemption id with the same key and quantity returns no
    /// events; with a different key or quantity it is refused (409 <c>redemption_id_reused</c>). Refusals:
    /// 400 <c>invalid_quantity</c>, 409 <c>insufficient_credits</c>, 409 <c>credits_frozen</c>.
    /// </summary>
    public IReadOnlyList<MemberEvent> Redeem(RedemptionRequest request, string? checkoutId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.RedemptionId))
        {
            throw Reject.Invalid("redemption_id_required", "A redemption needs an id, so that a retry cannot redeem twice.");
        }

        if (request.Quantity <= 0)
        {
            throw Reject.Invalid("invalid_quantity", "A redemption takes at least one unit or one cent.");
        }

        // A key never granted has no kind yet: the larger ceiling, and the missing balance refuses it next.
        Limits.RequireCredit(request.BenefitKey is { } key && Totals.TryGetValue(key, out var known) ? known.Kind : BenefitKind.DollarCredit, request.Quantity);

        if (Redemptions.TryGetValue(request.RedemptionId, out var earlier))
        {
            return earlier.BenefitKey == request.BenefitKey && earlier.Quantity == request.Quantity
                ? []
                : throw Reject.Conflict("redemption_id_reused", $"Redemption {request.RedemptionId} was already used for {earlier.Quantity} of {earlier.BenefitKey}.");
        }

        var draws = DrawOrRefuse(request.BenefitKey, request.Quantity, now);
        return One(new CreditsRedeemed(request.RedemptionId, request.BenefitKey, request.Quantity, draws, request.ServiceId, checkoutId) { OccurredAt = now });
    }

    /// <summary>
    /// Puts a redemption's draws back into the lots they came from (a lot that has lapsed since then is expired by the
    /// next <see cref="ExpireDue"/>). Voiding twice returns no events. 404 <c>redemption_not_found</c>, 400 <c>reason_required</c>.
    /// </summary>
    public IReadOnlyList<MemberEvent> Void(string redemptionId, string reason, DateTimeOffset now)
    {
        if (redemptionId is null || !Redemptions.TryGetValue(redemptionId, out var redemption))
        {
            throw Reject.NotFound("redemption_not_found", $"There is no redemption {redemptionId}.");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            throw Reject.Invalid("reason_required", "Say why the redemption is voided; it goes in the member's ledger.");
        }

        return redemption.VoidedAt is null ? One(new RedemptionVoided(redemptionId, reason.Trim()) { OccurredAt = now }) : [];
    }

    /// <summary>
    /// Staff correction. Positive: a new lot expiring at <paramref name="expiresAt"/>. Negative: drawn like a redemption.
    /// Idempotent by adjustment id. 400 <c>reason_required</c>, 400 <c>invalid_quantity</c> (zero),
    /// 409 <c>insufficient_credits</c>, 409 <c>adjustment_id_reused</c>.
    /// </summary>
    public IReadOnlyList<MemberEvent> Adjust(CreditAdjustmentRequest request, BenefitKind kind, DateTimeOffset? expiresAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.AdjustmentId))
        {
            throw Reject.Invalid("adjustment_id_required", "An adjustment needs an id, so that a retry cannot apply it twice.");
        }

        RequireKey(request.BenefitKey);
        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            throw Reject.Invalid("reason_required", "Say why the balance is corrected; it goes in the member's ledger.");
        }

        if (request.Quantity == 0)
        {
            throw Reject.Invalid("invalid_quantity", "An adjustment changes the balance by at least one unit or one cent, up or down.");
        }

        Limits.RequireCredit(kind, request.Quantity);

        if (Adjustments.TryGetValue(request.AdjustmentId, out var earlier))
        {
            return earlier.BenefitKey == request.BenefitKey && earlier.Quantity == request.Quantity
                ? []
                : throw Reject.Conflict("adjustment_id_reused", $"Adjustment {request.AdjustmentId} was already used for {earlier.Quantity} of {earlier.BenefitKey}.");
        }

        var reason = request.Reason.Trim();
        if (request.Quantity > 0)
        {
            return One(new CreditsAdjusted(request.AdjustmentId, request.BenefitKey, kind, request.Quantity, reason, NextLotId, expiresAt, Array.Empty<LotDraw>()) { OccurredAt = now });
        }

        var draws = DrawOrRefuse(request.BenefitKey, -request.Quantity, now);
        return One(new CreditsAdjusted(request.AdjustmentId, request.BenefitKey, kind, request.Quantity, reason, null, null, draws) { OccurredAt = now });
    }

    /// <summary>Expires what is left of every lot whose expiry has passed (not while frozen).</summary>
    public IReadOnlyList<MemberEvent> ExpireDue(DateTimeOffset now) => FrozenSince is not null
        ? []
        : Lots
            .Where(lot => lot.Remaining > 0 && lot.ExpiresAt <= now)
            .Select(lot => new CreditsExpired(lot.LotId, lot.BenefitKey, lot.Remaining, ExpiryReason.Lapsed) { OccurredAt = now })
            .ToArray<MemberEvent>();

    /// <summary>The membership ended: everything left expires, except packages, which were bought outright.</summary>
    public IReadOnlyList<MemberEvent> ExpireAll(DateTimeOffset now) =>
        Lots
            .Where(lot => lot.Remaining > 0 && lot.Source != LotSource.Package)
            .Select(lot => new CreditsExpired(lot.LotId, lot.BenefitKey, lot.Remaining, ExpiryReason.MembershipEnded) { OccurredAt = now })
            .ToArray<MemberEvent>();

    public IReadOnlyList<MemberEvent> Freeze(DateTimeOffset now) => FrozenSince is null ? One(new CreditsFrozen { OccurredAt = now }) : [];

    /// <summary>Unfreezes; every dated lot's expiry moves back by the time spent frozen.</summary>
    public IReadOnlyList<MemberEvent> Unfreeze(DateTimeOffset now) => FrozenSince is { } since
        ? One(new CreditsUnfrozen(now > since ? now - since : TimeSpan.Zero) { OccurredAt = now })
        : [];

    /// <summary>
    /// Unfreezes, moving every dated lot's expiry by <paramref name="moved"/>: the time the period they belong to was
    /// moved by (a pause's whole days), so a lot that lapsed with the period still lapses with it, to the instant.
    /// </summary>
    public IReadOnlyList<MemberEvent> Unfreeze(DateTimeOffset now, TimeSpan moved) => FrozenSince is not null
        ? One(new CreditsUnfrozen(moved > TimeSpan.Zero ? moved : TimeSpan.Zero) { OccurredAt = now })
        : [];

    /// <summary>What can be redeemed from a key at <paramref name="now"/>: lots not yet lapsed (frozen time does not count).</summary>
    public long Available(string benefitKey, DateTimeOffset now) => UsableLots(benefitKey, now).Sum(lot => lot.Remaining);

    /// <summary>Every key's balance at <paramref name="now"/>; lots that have lapsed but are not yet recorded as expired count as expired.</summary>
    /// <remarks>Each balance lists its lots in the order a redemption would draw them.</remarks>
    public IReadOnlyList<BenefitBalance> Balances(DateTimeOffset now, string? currency)
    {
        var asOf = EffectiveNow(now);
        return Totals
                .OrderBy(total => total.Key, StringComparer.Ordinal)
                .Select(total =>
                {
                    var (key, totals) = (total.Key, total.Value);
                    var lapsed = Lots.Where(lot => lot.BenefitKey == key && lot.Remaining > 0 && HasLapsed(lot, asOf)).Sum(lot => lot.Remaining);
                    var usable = UsableLots(key, now).ToList();
                    return new BenefitBalance(
                        key,
                        totals.Kind,
                        totals.Kind == BenefitKind.DollarCredit ? currency : null,
                        totals.Allocated,
                        totals.Adjusted,
                        totals.Redeemed,
                        totals.Expired + lapsed,
                        usable.Sum(lot => lot.Remaining),
                        usable.Select(lot => new LotView(lot.LotId, lot.Source, lot.Granted, lot.Remaining, lot.GrantedAt, lot.ExpiresAt)).ToArray());
                })
            .ToArray();
    }

    /// <summary>The ledger view of a member's event log: one entry per change to a balance, with the balance after it.</summary>
    public static IReadOnlyList<LedgerEntry> History(IEnumerable<(long Seq, MemberEvent Event)> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var entries = new List<LedgerEntry>();
        var ledger = Empty;
        foreach (var (seq, e) in events)
        {
            var before = ledger;
            ledger = ledger.Apply(e);
            if (ReferenceEquals(before, ledger))
            {
                continue;
            }

            entries.Add(e switch
            {
                CreditsAllocated a => new LedgerEntry(
                    seq, a.OccurredAt, a.Source == LotSource.Allocation ? LedgerEntryType.Allocated : LedgerEntryType.Granted,
                    a.BenefitKey, a.Quantity, ledger.RecordedBalance(a.BenefitKey), a.LotId, a.Reference),
                CreditsRedeemed r => new LedgerEntry(
                    seq, r.OccurredAt, LedgerEntryType.Redeemed, r.BenefitKey, -r.Quantity, ledger.RecordedBalance(r.BenefitKey), Reference: r.RedemptionId),
                RedemptionVoided v => Voided(seq, v, before.Redemptions[v.RedemptionId], ledger),
                CreditsAdjusted a => new LedgerEntry(
                    seq, a.OccurredAt, LedgerEntryType.Adjusted, a.BenefitKey, a.Quantity, ledger.RecordedBalance(a.BenefitKey), a.LotId, a.AdjustmentId, a.Reason),
                CreditsExpired x => new LedgerEntry(
                    seq, x.OccurredAt, LedgerEntryType.Expired, x.BenefitKey, -x.Quantity, ledger.RecordedBalance(x.BenefitKey), x.LotId, Reason: ReasonCode(x.Reason)),
                CreditsFrozen f => new LedgerEntry(seq, f.OccurredAt, LedgerEntryType.Frozen, null, 0, 0),
                CreditsUnfrozen u => new LedgerEntry(seq, u.OccurredAt, LedgerEntryType.Unfrozen, null, 0, 0),
                _ => throw new InvalidOperationException($"{e.GetType().Name} changed the credit ledger but has no ledger entry."),
            });
        }

        return entries;

        static LedgerEntry Voided(long seq, RedemptionVoided v, RedemptionView redemption, CreditLedger after) => new(
            seq, v.OccurredAt, LedgerEntryType.Voided, redemption.BenefitKey, redemption.Quantity,
            after.RecordedBalance(redemption.BenefitKey), Reference: v.RedemptionId, Reason: v.Reason);
    }

    /// <summary>Same lots, redemptions, adjustments, totals and freeze: the collections compared by content, not by reference.</summary>
    public bool Equals(CreditLedger? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (LotsIssued == other.LotsIssued
                && FrozenSince == other.FrozenSince
                && Lots.SequenceEqual(other.Lots)
                && SameEntries(Totals, other.Totals, (a, b) => a == b)
                && SameEntries(Redemptions, other.Redemptions, (a, b) => a with { Draws = b.Draws } == b && a.Draws.SequenceEqual(b.Draws))
                && SameEntries(Adjustments, other.Adjustments, (a, b) => a with { Draws = b.Draws } == b && a.Draws.SequenceEqual(b.Draws))));

    public override int GetHashCode() => HashCode.Combine(LotsIssued, FrozenSince, Lots.Count, Redemptions.Count, Adjustments.Count);

    /// <summary>What a key's lots hold, lapsed or not: the balance the log has recorded.</summary>
    private long RecordedBalance(string benefitKey) => Lots.Where(lot => lot.BenefitKey == benefitKey).Sum(lot => lot.Remaining);

    private string NextLotId => string.Create(CultureInfo.InvariantCulture, $"{LotPrefix}{LotsIssued + 1}");

    /// <summary>While frozen the clock stops for the credits: nothing lapses after the freeze began.</summary>
    private DateTimeOffset EffectiveNow(DateTimeOffset now) => FrozenSince is { } since && since < now ? since : now;

    private static bool HasLapsed(Lot lot, DateTimeOffset asOf) => lot.ExpiresAt <= asOf;

    /// <summary>The lots a redemption may draw from, in the order it draws them: soonest expiry first, undated last, then oldest first.</summary>
    private IEnumerable<Lot> UsableLots(string benefitKey, DateTimeOffset now)
    {
        var asOf = EffectiveNow(now);
        return Lots
            .Where(lot => lot.BenefitKey == benefitKey && lot.Remaining > 0 && !HasLapsed(lot, asOf))
            .OrderBy(lot => lot.ExpiresAt is null)
            .ThenBy(lot => lot.ExpiresAt ?? DateTimeOffset.MaxValue);
    }

    private LotDraw[] DrawsFor(string benefitKey, long quantity, DateTimeOffset now)
    {
        var draws = new List<LotDraw>();
        var left = quantity;
        foreach (var lot in UsableLots(benefitKey, now))
        {
            if (left <= 0)
            {
                break;
            }

            var take = Math.Min(left, lot.Remaining);
            draws.Add(new LotDraw(lot.LotId, take));
            left -= take;
        }

        return [.. draws];
    }

    private LotDraw[] DrawOrRefuse(string benefitKey, long quantity, DateTimeOffset now)
    {
        if (FrozenSince is not null)
        {
            throw Reject.Conflict("credits_frozen", "The member's credits are frozen while the membership is paused or suspended.");
        }

        var available = Available(benefitKey, now);
        if (available < quantity)
        {
            throw Reject.Conflict("insufficient_credits", $"{benefitKey} has {available} left; {quantity} was asked for.");
        }

        return DrawsFor(benefitKey, quantity, now);
    }

    // Arrays, not the compiler's collection-expression types: events and views cross the wire and go into JSON.
    private static MemberEvent[] One(MemberEvent e) => [e];

    private static void RequireKey(string? benefitKey)
    {
        if (string.IsNullOrWhiteSpace(benefitKey))
        {
            throw Reject.Invalid("benefit_key_required", "Say which balance the credit belongs to, such as units:neurotoxin.");
        }
    }

    private static string ReasonCode(ExpiryReason reason) => reason switch
    {
        ExpiryReason.Lapsed => "lapsed",
        ExpiryReason.RolloverCap => "rollover_cap",
        ExpiryReason.MembershipEnded => "membership_ended",
        ExpiryReason.BenefitDropped => "benefit_dropped",
        _ => reason.ToString(),
    };

    private static bool SameEntries<T>(ImmutableDictionary<string, T> a, ImmutableDictionary<string, T> b, Func<T, T, bool> same) =>
        a.Count == b.Count && a.All(entry => b.TryGetValue(entry.Key, out var other) && same(entry.Value, other));

    private CreditLedger Applying(CreditsAllocated e) => IndexOfLot(e.LotId) >= 0
        ? this
        : this with
        {
            Lots = Lots.Add(new Lot(e.LotId, e.BenefitKey, e.Kind, e.Source, e.Quantity, e.Quantity, e.OccurredAt, e.ExpiresAt)),
            LotsIssued = LotsIssued + 1,
            Totals = Tally(e.BenefitKey, e.Kind, t => t with { Allocated = t.Allocated + e.Quantity }),
        };

    private CreditLedger Applying(CreditsRedeemed e) => Redemptions.ContainsKey(e.RedemptionId)
        ? this
        : this with
        {
            Lots = Moving(DrawsOf(e.Draws, e.Quantity, e.RedemptionId), -1),
            Redemptions = Redemptions.Add(e.RedemptionId, new RedemptionView(e.RedemptionId, e.BenefitKey, e.Quantity, e.Draws, e.OccurredAt, e.ServiceId, e.CheckoutId, null)),
            Totals = Tally(e.BenefitKey, null, t => t with { Redeemed = t.Redeemed + e.Quantity }),
        };

    private CreditLedger Applying(RedemptionVoided e)
    {
        if (!Redemptions.TryGetValue(e.RedemptionId, out var redemption))
        {
            throw new InvalidOperationException($"The log voids redemption {e.RedemptionId}, which it never recorded.");
        }

        return redemption.VoidedAt is not null
            ? this
            : this with
            {
                Lots = Moving(redemption.Draws, +1),
                Redemptions = Redemptions.SetItem(e.RedemptionId, redemption with { VoidedAt = e.OccurredAt }),
                Totals = Tally(redemption.BenefitKey, null, t => t with { Redeemed = t.Redeemed - redemption.Quantity }),
            };
    }

    private CreditLedger Applying(CreditsAdjusted e)
    {
        if (Adjustments.ContainsKey(e.AdjustmentId))
        {
            return this;
        }

        var recorded = this with
        {
            Adjustments = Adjustments.Add(e.AdjustmentId, e),
            Totals = Tally(e.BenefitKey, e.Kind, t => t with { Adjusted = t.Adjusted + e.Quantity }),
        };
        if (e.Quantity < 0)
        {
            return recorded with { Lots = Moving(DrawsOf(e.Draws, checked(-e.Quantity), e.AdjustmentId), -1) };
        }

        var lotId = e.LotId ?? throw new InvalidOperationException($"Upward adjustment {e.AdjustmentId} names no lot.");
        return recorded with
        {
            Lots = Lots.Add(new Lot(lotId, e.BenefitKey, e.Kind, LotSource.Adjustment, e.Quantity, e.Quantity, e.OccurredAt, e.ExpiresAt)),
            LotsIssued = LotsIssued + 1,
        };
    }

    private CreditLedger Applying(CreditsExpired e) => this with
    {
        Lots = Moving([new LotDraw(e.LotId, e.Quantity)], -1),
        Totals = Tally(e.BenefitKey, null, t => t with { Expired = t.Expired + e.Quantity }),
    };

    private CreditLedger Applying(CreditsUnfrozen e) => FrozenSince is null
        ? this
        : this with
        {
            FrozenSince = null,
            Lots = [.. Lots.Select(lot => lot.ExpiresAt is { } expiry ? lot with { ExpiresAt = expiry + e.FrozenFor } : lot)],
        };

    private ImmutableDictionary<string, BenefitTotals> Tally(string benefitKey, BenefitKind? kind, Func<BenefitTotals, BenefitTotals> change)
    {
        var totals = Totals.TryGetValue(benefitKey, out var known)
            ? known
            : BenefitTotals.None(kind ?? throw new InvalidOperationException($"The log moves {benefitKey} before granting any of it."));
        return Totals.SetItem(benefitKey, change(totals));
    }

    /// <summary>
    /// The draws of a redemption or a downward adjustment, which must add up to what it took: otherwise the key's
    /// <c>allocated + adjusted = redeemed + expired + balance</c> would no longer hold, and the log is not one this
    /// ledger wrote. (Summed and negated in a checked context, so no quantity can wrap round into agreeing.)
    /// </summary>
    private static IReadOnlyList<LotDraw> DrawsOf(IReadOnlyList<LotDraw> draws, long quantity, string reference)
    {
        var drawn = 0L;
        foreach (var draw in draws)
        {
            drawn = checked(drawn + draw.Quantity);
        }

        return drawn == quantity
            ? draws
            : throw new InvalidOperationException($"The log takes {quantity} for {reference} but draws {drawn} from its lots.");
    }

    /// <summary>Takes each draw out of (sign -1) or puts it back into (sign +1) its lot.</summary>
    private ImmutableList<Lot> Moving(IEnumerable<LotDraw> draws, int sign)
    {
        var lots = Lots.ToBuilder();
        foreach (var draw in draws)
        {
            var index = IndexOfLot(draw.LotId);
            if (index < 0)
            {
                throw new InvalidOperationException($"The log draws on {draw.LotId}, a lot it never granted.");
            }

            var lot = lots[index];
            var remaining = lot.Remaining + (sign * draw.Quantity);
            if (remaining < 0 || remaining > lot.Granted)
            {
                throw new InvalidOperationException($"The log moves {draw.Quantity} of {lot.LotId}, which holds {lot.Remaining} of {lot.Granted}.");
            }

            lots[index] = lot with { Remaining = remaining };
        }

        return lots.ToImmutable();
    }

    /// <summary>Lot <c>lot_n</c> is the n-th granted, so it is found without a scan; other ids fall back to one.</summary>
    private int IndexOfLot(string lotId)
    {
        if (lotId.StartsWith(LotPrefix, StringComparison.Ordinal)
            && int.TryParse(lotId.AsSpan(LotPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && n >= 1 && n <= Lots.Count && Lots[n - 1].LotId == lotId)
        {
            return n - 1;
        }

        return Lots.FindIndex(lot => lot.LotId == lotId);
    }

    /// <summary>Events of one decision, each folded in as it is made, so the next one sees its effect (lot ids, balances).</summary>
    private sealed class Decision(CreditLedger start)
    {
        private readonly List<MemberEvent> events = [];

        public CreditLedger Ledger { get; private set; } = start;

        public IReadOnlyList<MemberEvent> Events => events;

        public void Record(MemberEvent e)
        {
            events.Add(e);
            Ledger = Ledger.Apply(e);
        }

        /// <summary>One benefit's share of a period: a dated lot, or a rolling one kept within the benefit's cap.</summary>
        public void Allocate(Benefit benefit, long quantity, DateTimeOffset periodEnd, string reference, DateTimeOffset now)
        {
            if (quantity == 0)
            {
                return;
            }

            if (quantity < 0)
            {
                throw Reject.Invalid("invalid_quantity", "A benefit cannot allocate a negative amount of credit.");
            }

            Limits.RequireCredit(benefit.Kind, quantity);

            var key = benefit.Key ?? BenefitKeys.For(benefit.Kind, benefit.ServiceId, benefit.Category);
            if (benefit.Rollover is null)
            {
                Record(new CreditsAllocated(Ledger.NextLotId, key, benefit.Kind, LotSource.Allocation, quantity, periodEnd, reference) { OccurredAt = now });
                return;
            }

            var cap = Math.Max(0, benefit.Rollover.MaxAccumulation);
            var available = Ledger.Available(key, now);
            var excess = checked(available + quantity - cap);
            foreach (var draw in Ledger.DrawsFor(key, Math.Min(excess, available), now))
            {
                Record(new CreditsExpired(draw.LotId, key, draw.Quantity, ExpiryReason.RolloverCap) { OccurredAt = now });
            }

            var lotId = Ledger.NextLotId;
            Record(new CreditsAllocated(lotId, key, benefit.Kind, LotSource.Allocation, quantity, null, reference) { OccurredAt = now });

            // A plan whose monthly grant alone is above its cap: the promise "never above the cap" still holds.
            if (quantity > cap)
            {
                Record(new CreditsExpired(lotId, key, quantity - cap, ExpiryReason.RolloverCap) { OccurredAt = now });
            }
        }
    }
}
