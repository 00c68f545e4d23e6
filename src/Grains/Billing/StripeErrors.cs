using System.Net;
using MedSpa.Billing;
using MedSpa.Domain.Billing;
using Stripe;

namespace MedSpa.Grains.Billing;

/// <summary>How a Stripe failure reads to billing: which outcomes may be retried, and which never should be.</summary>
public static class StripeErrors
{
    public static ChargeOutcome ToOutcome(StripeException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var error = exception.StripeError;
        var status = (int)exception.HttpStatusCode;
        var intentId = error?.PaymentIntent?.Id;
        var message = error?.Message ?? exception.Message;

        if (exception.HttpStatusCode == HttpStatusCode.TooManyRequests)
        {
            return new ChargeOutcome(ChargeResult.RateLimited, intentId, error?.Code, message);
        }

        if (status == 402 || error?.Type == "card_error")
        {
            return Decline(error?.Code, error?.DeclineCode, error?.AdviceCode, intentId, message);
        }

        if (status is 400 or 404 && error?.Type != "idempotency_error")
        {
            // The request was refused before anything was charged (a detached or unknown payment method, say):
            // repeating it unchanged cannot succeed, so it must wait for a new card like a hard decline.
            return new ChargeOutcome(ChargeResult.HardDecline, intentId, error?.Code, message);
        }

        // 5xx, 409 (the same key still running), idempotency mismatches, auth failures, and anything with no
        // status (the connection dropped): the charge may exist, so billing resolves it by key or lookup.
        return new ChargeOutcome(ChargeResult.Unknown, intentId, error?.Code, message);
    }

    /// <summary>A card decline, sorted by the domain's rules (<see cref="DeclineClassifier"/>): the one list of hard declines.</summary>
    public static ChargeOutcome Decline(string? code, string? declineCode, string? adviceCode, string? intentId, string? message)
    {
        var kind = DeclineClassifier.Classify(code, adviceCode) == DeclineKind.Soft
            ? DeclineClassifier.Classify(declineCode, adviceCode)
            : DeclineClassifier.Classify(code, adviceCode);
        return kind switch
        {
            DeclineKind.AuthenticationRequired => new ChargeOutcome(ChargeResult.AuthenticationRequired, intentId, "authentication_required", message),
            DeclineKind.Hard => new ChargeOutcome(ChargeResult.HardDecline, intentId, declineCode ?? code, message),
            _ => new ChargeOutcome(ChargeResult.SoftDecline, intentId, declineCode ?? code, message),
        };
    }

    /// <summary>What a PaymentIntent found later (by lookup or replay) says about its attempt.</summary>
    public static ChargeOutcome FromIntent(PaymentIntent intent)
    {
        ArgumentNullException.ThrowIfNull(intent);
        var error = intent.LastPaymentError;
        return intent.Status switch
        {
            "succeeded" => new ChargeOutcome(ChargeResult.Succeeded, intent.Id),
            "requires_action" => new ChargeOutcome(ChargeResult.AuthenticationRequired, intent.Id, "authentication_required", error?.Message),
            "requires_payment_method" when error is not null => Decline(error.Code, error.DeclineCode, error.AdviceCode, intent.Id, error.Message),
            // Never confirmed, still processing, or captured later: not an answer billing can act on yet.
            _ => new ChargeOutcome(ChargeResult.Unknown, intent.Id, null, $"PaymentIntent is {intent.Status}"),
        };
    }
}
