using MedSpa.Plans;

namespace MedSpa.Members;

/// <summary>Body of <c>POST /api/v1/members/{id}/enrolment</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record EnrolmentRequest(
    [property: Id(0)] string PlanId,
    [property: Id(1)] AgreementAcceptance Agreement);

/// <summary>
/// The member's e-signature: their name typed out and an explicit tick, and optionally the signature they drew (a PNG,
/// base64 in JSON) on the desk's tablet.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AgreementAcceptance(
    [property: Id(0)] string SignedName,
    [property: Id(1)] bool Accepted,
    [property: Id(2)] byte[]? SignatureImage = null);

/// <summary>Where a signature came from, captured by the web tier. <see cref="SignedVia"/> is <c>desk:&lt;staff&gt;</c> or <c>portal</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record SignatureContext(
    [property: Id(0)] string SignedVia,
    [property: Id(1)] string? IpAddress,
    [property: Id(2)] string? UserAgent);

/// <summary>The agreement exactly as signed: its text, the SHA-256 (hex) of that text's UTF-8 bytes, and who signed it, when and from where.</summary>
[GenerateSerializer, Immutable]
public sealed record SignedAgreement(
    [property: Id(0)] string PlanId,
    [property: Id(1)] int PlanVersion,
    [property: Id(2)] string Text,
    [property: Id(3)] string Sha256,
    [property: Id(4)] string SignedName,
    [property: Id(5)] DateTimeOffset SignedAt,
    [property: Id(6)] string SignedVia,
    [property: Id(7)] string? IpAddress,
    [property: Id(8)] string? UserAgent)
{
    /// <summary>The drawn signature (PNG) when the member signed on a tablet; agreements signed before it existed have none.</summary>
    [Id(9)] public byte[]? SignatureImage { get; init; }
}

/// <summary>
/// The agreement a client would sign on a plan today, shown before they sign: exactly the text enrolment records
/// while the plan and the practice stay as they are.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AgreementDraft(
    [property: Id(0)] string PlanId,
    [property: Id(1)] int PlanVersion,
    [property: Id(2)] string Text,
    [property: Id(3)] string Sha256);

public enum MembershipStatus
{
    None,
    PendingPayment,
    Active,
    PastDue,
    Suspended,
    Paused,
    Cancelled,
}

/// <summary>Answer of <c>GET /api/v1/members/{id}/membership</c>. Dates are in the home location's time zone.</summary>
[GenerateSerializer, Immutable]
public sealed record MembershipView(
    [property: Id(0)] string MemberId,
    [property: Id(1)] MembershipStatus Status,
    [property: Id(2)] string? PlanId = null,
    [property: Id(3)] int? PlanVersion = null,
    [property: Id(4)] string? PlanName = null,
    [property: Id(5)] Money? Price = null,
    [property: Id(6)] string? TimeZone = null,
    [property: Id(7)] DateOnly? EnrolledOn = null,
    [property: Id(8)] int? AnchorDay = null,
    [property: Id(9)] DateOnly? CurrentPeriodStart = null,
    [property: Id(10)] DateOnly? NextBillingDate = null,
    [property: Id(11)] DateOnly? TermEnd = null,
    [property: Id(12)] Money? AmountDue = null,
    [property: Id(13)] CardOnFile? Card = null)
{
    /// <summary>What the next billing date charges: a scheduled downgrade or a confirmed price increase shows here first.</summary>
    [Id(14)] public Money? NextPrice { get; init; }

    /// <summary>A downgrade waiting for the next billing date.</summary>
    [Id(15)] public PendingPlanChangeView? PendingPlanChange { get; init; }

    /// <summary>The latest price increase the member was told of that has not yet taken effect for them.</summary>
    [Id(16)] public MemberPriceChangeView? PendingPriceChange { get; init; }

    /// <summary>A confirmed cancellation not yet in effect: when the membership ends and on what terms.</summary>
    [Id(17)] public CancellationView? PendingCancellation { get; init; }

    /// <summary>While paused, the date the membership resumes by itself.</summary>
    [Id(18)] public DateOnly? PausedUntil { get; init; }

    /// <summary>Whether the member signed an agreement here; a member imported from the practice's old records did not.</summary>
    [Id(19)] public bool HasSignedAgreement { get; init; }

    /// <summary>While suspended for non-payment, the local day it was suspended.</summary>
    [Id(20)] public DateOnly? SuspendedOn { get; init; }
}

public enum PaymentMethodKind
{
    CardTerminal,
    Cash,
    CardOnFile,
}

/// <summary>A payment taken at the desk. <see cref="PaymentId"/> (<c>pay_…</c>) makes recording it idempotent.</summary>
[GenerateSerializer, Immutable]
public sealed record DeskPayment(
    [property: Id(0)] string PaymentId,
    [property: Id(1)] PaymentMethodKind Method,
    [property: Id(2)] Money Amount,
    [property: Id(3)] string? Reference = null);

/// <summary>The plan terms a member enrolled on, kept with the member so later plan edits do not touch them.</summary>
[GenerateSerializer, Immutable]
public sealed record EnrolledPlan(
    [property: Id(0)] string PlanId,
    [property: Id(1)] int Version,
    [property: Id(2)] PlanTerms Terms);
