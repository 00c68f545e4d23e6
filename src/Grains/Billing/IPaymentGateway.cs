using MedSpa.Billing;
using MedSpa.Members;

namespace MedSpa.Grains.Billing;

/// <summary>
/// The card processor as billing sees it. The implementation is Stripe.net, talking to Stripe or, with no secret
/// key, to the local StripeEmulator. Every money-moving call carries an idempotency key, so repeating a call after a
/// crash or a timeout can never charge twice.
/// </summary>
public interface IPaymentGateway
{
    /// <summary>The processor's customer for a member, created once (idempotent by member id).</summary>
    Task<string> EnsureCustomerAsync(string memberId, string email, string name, CancellationToken cancellationToken = default);

    /// <summary>Starts saving a card on the customer for later off-session charges; the portal confirms it with the client secret.</summary>
    Task<CardSetup> StartCardSetupAsync(string customerId, CancellationToken cancellationToken = default);

    /// <summary>Attaches a payment method (e.g. <c>pm_card_visa</c>) to the customer and makes it their default.</summary>
    Task<SavedCard> AttachCardAsync(string customerId, string paymentMethodId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The card the member confirmed on a SetupIntent (in the browser, with Stripe.js), made the customer's default.
    /// 400 <c>card_setup_incomplete</c> until it succeeded; 404 <c>card_setup_not_found</c> for another customer's.
    /// </summary>
    Task<SavedCard> CompleteCardSetupAsync(string customerId, string setupIntentId, CancellationToken cancellationToken = default);

    /// <summary>An off-session charge of a saved card, confirmed at once. Never throws for a decline or a processor fault: it says what happened.</summary>
    Task<ChargeOutcome> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken = default);

    /// <summary>Finds the charge an attempt made, by the attempt id in its metadata, when its outcome was never learned.</summary>
    Task<ChargeOutcome?> FindChargeAsync(string attemptId, CancellationToken cancellationToken = default);

    /// <summary>Refunds a charge in full (<paramref name="amount"/> null) or in part.</summary>
    Task<RefundOutcome> RefundAsync(string paymentIntentId, Money? amount, string idempotencyKey, CancellationToken cancellationToken = default);

    // Reads for webhooks: the object as the processor has it now. Null: no such object. Throws when it cannot ask.

    /// <summary>A PaymentIntent billing made (it carries <c>member_id</c> and <c>attempt_id</c>); null for anyone else's.</summary>
    Task<ProcessorIntent?> GetPaymentIntentAsync(string paymentIntentId, CancellationToken cancellationToken = default);

    /// <summary>A charge with its refunds and the member it was for (from its metadata, its intent's or its customer's).</summary>
    Task<ChargeSnapshot?> GetChargeAsync(string chargeId, CancellationToken cancellationToken = default);

    Task<ProcessorDispute?> GetDisputeAsync(string disputeId, CancellationToken cancellationToken = default);

    Task<PaymentMethodSnapshot?> GetPaymentMethodAsync(string paymentMethodId, CancellationToken cancellationToken = default);

    /// <summary>The member a processor customer was made for (<c>member_id</c> metadata, set by <see cref="EnsureCustomerAsync"/>).</summary>
    Task<string?> GetCustomerMemberIdAsync(string customerId, CancellationToken cancellationToken = default);
}

public sealed record ProcessorIntent(string MemberId, ProcessorCharge Charge);

public sealed record ChargeSnapshot(string ChargeId, string? PaymentIntentId, string? MemberId, ProcessorRefund[] Refunds);

public sealed record PaymentMethodSnapshot(string? CustomerId, CardOnFile Card);

public sealed record CardSetup(string SetupIntentId, string ClientSecret);

public sealed record SavedCard(string PaymentMethodId, string? Brand, string? Last4, int? ExpMonth, int? ExpYear);

/// <summary>
/// One charge attempt. <see cref="AttemptId"/> goes in the PaymentIntent's metadata (<c>attempt_id</c>) so an attempt
/// whose answer was lost can be found; <see cref="IdempotencyKey"/> is <c>charge:{member}:{periodStart}:{attempt}</c>.
/// </summary>
public sealed record ChargeRequest(
    string CustomerId,
    string PaymentMethodId,
    Money Amount,
    string IdempotencyKey,
    string AttemptId,
    string MemberId,
    string Description);

public sealed record ChargeOutcome(
    ChargeResult Result,
    string? PaymentIntentId,
    string? DeclineCode = null,
    string? Message = null);

public sealed record RefundOutcome(bool Succeeded, string? RefundId, string? Message = null, string? ChargeId = null);
