using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using MedSpa.Members;

namespace MedSpa.Grains.Members;

/// <summary>
/// How a member event is written into <c>member_events</c>: its discriminator as <c>event_type</c>, the event as
/// JSON (camelCase, enums as snake_case strings, amounts in minor units) as <c>payload</c>, and the key that makes
/// the same fact impossible to record twice.
/// </summary>
public static class MemberEventJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        // jsonb reorders keys, so the discriminator is rarely first when a row is read back.
        AllowOutOfOrderMetadataProperties = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    private static readonly FrozenDictionary<Type, string> Discriminators = typeof(MemberEvent)
        .GetCustomAttributes<JsonDerivedTypeAttribute>()
        .ToFrozenDictionary(a => a.DerivedType, a => (string)a.TypeDiscriminator!);

    public static string TypeOf(MemberEvent e) => Discriminators[e.GetType()];

    public static string Serialize(MemberEvent e) => JsonSerializer.Serialize(e, Options);

    public static MemberEvent Deserialize(string json) =>
        JsonSerializer.Deserialize<MemberEvent>(json, Options) ?? throw new JsonException("A member event cannot be null.");

    /// <summary>
    /// The fact an event records, for the log's unique index: a second payment, redemption, checkout or period
    /// allocation with the same id is refused by the database even if a grain's state were somehow stale.
    /// </summary>
    public static string? IdempotencyKey(MemberEvent e) => e switch
    {
        ClientRegistered => "registered",
        PaymentRecorded payment => $"payment:{payment.PaymentId}",
        PeriodPaid paid => $"period:{paid.PeriodStart:yyyy-MM-dd}:{paid.PaymentId}",
        CreditsRedeemed redeemed => $"redemption:{redeemed.RedemptionId}",
        RedemptionVoided voided => $"void:{voided.RedemptionId}",
        CreditsAdjusted adjusted => $"adjustment:{adjusted.AdjustmentId}",
        AddOnPurchased purchase => $"add-on:{purchase.PurchaseId}",
        CheckoutCompleted checkout => $"checkout:{checkout.Request.CheckoutId}",
        ChargeAttempted attempt => $"attempt:{attempt.AttemptId}",
        ChargeResolved resolved => $"resolved:{resolved.AttemptId}",
        PlanChanged changed => $"plan-changed:{changed.ChangeId}",
        PriceIncreaseNotified notified => $"price-increase:{notified.ChangeId}",
        PriceIncreaseConfirmed confirmed => $"price-increase-confirmed:{confirmed.ChangeId}",
        RefundRecorded refund => $"refund:{refund.RefundId}",
        ChargeDisputed dispute => $"dispute:{dispute.DisputeId}",
        // A notice about one thing (a payment's receipt, a card's expiry, some lots' expiry) has that thing in its id.
        NoticeIssued notice => $"notice:{notice.NoticeId}",
        NoticeSent sent => $"notice-sent:{sent.NoticeId}",
        _ => null,
    };
}
