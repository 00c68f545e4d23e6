using MedSpa.Plans;

namespace MedSpa.Members;

/// <summary>What the client is having today: treatments from the menu and packages bought outright.</summary>
[GenerateSerializer, Immutable]
public sealed record Basket([property: Id(0)] IReadOnlyList<BasketItem> Items);

/// <summary>Either <see cref="Quantity"/> treatments of <see cref="ServiceId"/>, or a <see cref="Package"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record BasketItem(
    [property: Id(0)] string? ServiceId = null,
    [property: Id(1)] int Quantity = 1,
    [property: Id(2)] PackageSale? Package = null);

/// <summary>A pre-paid bundle of sessions of one service, bought outside the membership.</summary>
[GenerateSerializer, Immutable]
public sealed record PackageSale(
    [property: Id(0)] string Name,
    [property: Id(1)] Money Price,
    [property: Id(2)] string ServiceId,
    [property: Id(3)] int Sessions,
    [property: Id(4)] int ValidForDays = 365);

public enum BillingCategory
{
    Subscription,
    Treatment,
    Package,
    AddOn,
}

/// <summary>Why a member's basket was priced as a non-member's (<c>membership_suspended</c>, <c>membership_paused</c>, ...).</summary>
[GenerateSerializer, Immutable]
public sealed record PricingNotice(
    [property: Id(0)] string Code,
    [property: Id(1)] string Message);

/// <summary>The priced basket: the same numbers the checkout will use.</summary>
[GenerateSerializer, Immutable]
public sealed record CheckoutQuote(
    [property: Id(0)] IReadOnlyList<QuoteLine> Lines,
    [property: Id(1)] Money Subtotal,
    [property: Id(2)] Money CreditsApplied,
    [property: Id(3)] Money DiscountApplied,
    [property: Id(4)] Money AmountDue,
    [property: Id(5)] bool MemberPricing,
    [property: Id(6)] PricingNotice? Notice = null);

/// <summary>One treatment or package: list price, credits used, discount, and what is left to pay.</summary>
[GenerateSerializer, Immutable]
public sealed record QuoteLine(
    [property: Id(0)] string Description,
    [property: Id(1)] BillingCategory Category,
    [property: Id(2)] string? ServiceId,
    [property: Id(3)] Money ListPrice,
    [property: Id(4)] IReadOnlyList<CreditUse> Credits,
    [property: Id(5)] Money Discount,
    [property: Id(6)] Money AmountDue);

/// <summary><see cref="Quantity"/> of a balance (units or minor units) covering <see cref="Value"/> of a line's price.</summary>
[GenerateSerializer, Immutable]
public sealed record CreditUse(
    [property: Id(0)] string BenefitKey,
    [property: Id(1)] BenefitKind Kind,
    [property: Id(2)] long Quantity,
    [property: Id(3)] Money Value);

public enum Settlement
{
    /// <summary>Paid at the desk on the card terminal.</summary>
    CardTerminal,

    /// <summary>Paid at the desk in cash.</summary>
    Cash,

    /// <summary>Left as an open invoice, to be charged or paid later.</summary>
    Invoice,
}

/// <summary>Body of <c>POST /api/v1/members/{id}/checkouts</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record CheckoutRequest(
    [property: Id(0)] string CheckoutId,
    [property: Id(1)] Basket Basket,
    [property: Id(2)] Settlement Settlement);

[GenerateSerializer, Immutable]
public sealed record CheckoutReceipt(
    [property: Id(0)] string CheckoutId,
    [property: Id(1)] CheckoutQuote Quote,
    [property: Id(2)] IReadOnlyList<string> RedemptionIds,
    [property: Id(3)] IReadOnlyList<string> PaymentIds,
    [property: Id(4)] Settlement Settlement,
    [property: Id(5)] DateTimeOffset CompletedAt);
