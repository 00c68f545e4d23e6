using MedSpa.Plans;

namespace MedSpa.Members;

/// <summary>Where a lot of credit came from.</summary>
public enum LotSource
{
    /// <summary>A paid period's allocation of a plan benefit.</summary>
    Allocation,
    AddOn,
    Package,
    Adjustment,
    Bonus,
}

public enum ExpiryReason
{
    /// <summary>The lot's expiry date passed (period end for non-rolling benefits, validity for add-ons and packages).</summary>
    Lapsed,

    /// <summary>Rolled-over credit above the plan's maximum accumulation.</summary>
    RolloverCap,

    /// <summary>The membership ended.</summary>
    MembershipEnded,

    /// <summary>Rolled-over credit of a benefit the member's plan no longer includes (after a plan change), at the next period.</summary>
    BenefitDropped,
}

/// <summary>Answer of <c>GET /api/v1/members/{id}/credits</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record CreditsView(
    [property: Id(0)] string MemberId,
    [property: Id(1)] bool Frozen,
    [property: Id(2)] IReadOnlyList<BenefitBalance> Balances);

/// <summary>
/// One balance (units or minor units of <see cref="Currency"/>) and how it came to be:
/// <c>Allocated + Adjusted = Redeemed + Expired + Balance</c>.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record BenefitBalance(
    [property: Id(0)] string BenefitKey,
    [property: Id(1)] BenefitKind Kind,
    [property: Id(2)] string? Currency,
    [property: Id(3)] long Allocated,
    [property: Id(4)] long Adjusted,
    [property: Id(5)] long Redeemed,
    [property: Id(6)] long Expired,
    [property: Id(7)] long Balance,
    [property: Id(8)] IReadOnlyList<LotView> Lots);

/// <summary>A lot with credit left. <see cref="ExpiresAt"/> null: it lasts as long as the membership (rolled over).</summary>
[GenerateSerializer, Immutable]
public sealed record LotView(
    [property: Id(0)] string LotId,
    [property: Id(1)] LotSource Source,
    [property: Id(2)] long Granted,
    [property: Id(3)] long Remaining,
    [property: Id(4)] DateTimeOffset GrantedAt,
    [property: Id(5)] DateTimeOffset? ExpiresAt);

public enum LedgerEntryType
{
    Allocated,
    Granted,
    Redeemed,
    Voided,
    Adjusted,
    Expired,
    Frozen,
    Unfrozen,
}

/// <summary>One line of <c>GET /api/v1/members/{id}/ledger</c>: a signed change to a balance and the balance after it.</summary>
[GenerateSerializer, Immutable]
public sealed record LedgerEntry(
    [property: Id(0)] long Seq,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] LedgerEntryType Type,
    [property: Id(3)] string? BenefitKey,
    [property: Id(4)] long Change,
    [property: Id(5)] long BalanceAfter,
    [property: Id(6)] string? LotId = null,
    [property: Id(7)] string? Reference = null,
    [property: Id(8)] string? Reason = null);

/// <summary>Body of <c>POST /api/v1/members/{id}/redemptions</c>: use <see cref="Quantity"/> of a balance.</summary>
[GenerateSerializer, Immutable]
public sealed record RedemptionRequest(
    [property: Id(0)] string RedemptionId,
    [property: Id(1)] string BenefitKey,
    [property: Id(2)] long Quantity,
    [property: Id(3)] string? ServiceId = null);

/// <summary>How much of a redemption came out of which lot; a void puts exactly this back.</summary>
[GenerateSerializer, Immutable]
public sealed record LotDraw(
    [property: Id(0)] string LotId,
    [property: Id(1)] long Quantity);

[GenerateSerializer, Immutable]
public sealed record RedemptionView(
    [property: Id(0)] string RedemptionId,
    [property: Id(1)] string BenefitKey,
    [property: Id(2)] long Quantity,
    [property: Id(3)] IReadOnlyList<LotDraw> Draws,
    [property: Id(4)] DateTimeOffset RedeemedAt,
    [property: Id(5)] string? ServiceId,
    [property: Id(6)] string? CheckoutId,
    [property: Id(7)] DateTimeOffset? VoidedAt);

/// <summary>Body of <c>POST /api/v1/members/{id}/credit-adjustments</c>: a signed change with the reason staff gave.</summary>
[GenerateSerializer, Immutable]
public sealed record CreditAdjustmentRequest(
    [property: Id(0)] string AdjustmentId,
    [property: Id(1)] string BenefitKey,
    [property: Id(2)] long Quantity,
    [property: Id(3)] string Reason);

/// <summary>Body of <c>POST /api/v1/members/{id}/add-ons</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record AddOnPurchaseRequest(
    [property: Id(0)] string PurchaseId,
    [property: Id(1)] string AddOnKey,
    [property: Id(2)] PaymentMethodKind Method);
