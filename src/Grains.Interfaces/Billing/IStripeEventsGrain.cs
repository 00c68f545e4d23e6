using Orleans.Concurrency;

namespace MedSpa.Billing;

/// <summary>
/// A Stripe event whose signature the web tier has checked, reduced to what routing needs. State is never taken from
/// it: the handler fetches the object named by <see cref="ObjectId"/> from Stripe, so late or reordered deliveries
/// cannot roll anything back.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record StripeEventNotice(
    [property: Id(0)] string EventId,
    [property: Id(1)] string Type,
    [property: Id(2)] string ObjectId,
    [property: Id(3)] string? PreviousCustomerId = null,
    [property: Id(4)] DateTimeOffset? CreatedAt = null);

public enum StripeEventOutcome
{
    /// <summary>Handled now, and recorded as processed.</summary>
    Processed,

    /// <summary>Already processed before: nothing done.</summary>
    Duplicate,

    /// <summary>Another delivery of the same event is being handled right now: Stripe should retry later.</summary>
    InProgress,

    /// <summary>A type this service does not act on, or an object that is not one of our members'.</summary>
    Ignored,
}

/// <summary>Handles signed Stripe events: each event id at most once, retried by Stripe when handling fails.</summary>
public interface IStripeEventsGrain : IGrainWithIntegerKey
{
    /// <summary>The event types acted on; others are acknowledged and ignored.</summary>
    static readonly string[] HandledTypes =
    [
        "payment_intent.succeeded",
        "payment_intent.payment_failed",
        "payment_intent.requires_action",
        "charge.refunded",
        "charge.dispute.created",
        "payment_method.detached",
        "payment_method.automatically_updated",
    ];

    [AlwaysInterleave]
    Task<StripeEventOutcome> HandleAsync(StripeEventNotice notice);
}
