using MedSpa.Billing;
using System.Net;
using Stripe;

namespace MedSpa.Grains.Billing;

/// <summary>How a Stripe failure reads to billing: which outcomes may be retried, and which never should be.</summary>
public static class StripeErrors
{
    /// <summary>Declines that mean the card itself is bad: retrying can only hurt (and may flag the account).</summary>
    private static readonly HashSet<string> HardDeclineCodes = new(StringComparer.Ordinal)
    {
        "lost_card",
        "stolen_card",
        "pickup_card",
        "fraudulent",
        "incorrect_number",
        "revocation_of_authorization",
        "revocation_of_all_authorizations",
    };

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

    public static ChargeOutcome Decline(string? code, string? declineCode, string? adviceCode, string? intentId, string? message)
    {
        if (code == "authentication_required" || declineCode == "authentication_required")
        {
            return new ChargeOutcome(ChargeResult.AuthenticationRequired, intentId, "authentication_required", message);
        }

        var reported = declineCode ?? code;
        var hard = adviceCode == "do_not_try_again"
            || (declineCode is not null && HardDeclineCodes.Contains(declineCode))
            || (code is not null && HardDeclineCodes.Contains(code));
        return new ChargeOutcome(hard ? ChargeResult.HardDecline : ChargeResult.SoftDecline, intentId, reported, message);
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
