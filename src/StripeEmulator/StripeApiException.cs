using System.Text.Json.Nodes;

namespace MedSpa.StripeEmulator;

/// <summary>An answer in Stripe's error envelope. Thrown by the handlers; the dispatcher turns it into the response.</summary>
public sealed class StripeApiException : Exception
{
    public StripeApiException()
        : this(500, "api_error", "An unknown error occurred.")
    {
    }

    public StripeApiException(string message)
        : this(500, "api_error", message)
    {
    }

    public StripeApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = 500;
        Type = "api_error";
    }

    public StripeApiException(int status, string type, string message, string? code = null, string? param = null)
        : base(message)
    {
        Status = status;
        Type = type;
        Code = code;
        Param = param;
    }

    public int Status { get; }

    public string Type { get; }

    public string? Code { get; }

    public string? Param { get; }

    public string? DeclineCode { get; init; }

    public string? ChargeId { get; init; }

    /// <summary>The PaymentIntent a card error left behind; Stripe returns it inside the error.</summary>
    public JsonObject? PaymentIntent { get; init; }

    public JsonObject? PaymentMethod { get; init; }

    /// <summary>
    /// Stripe keeps the answer under the idempotency key only once the endpoint began work (a decline, yes; a
    /// validation error, no), so a corrected retry with the same key is allowed.
    /// </summary>
    public bool StateChanged => PaymentIntent is not null;

    public static StripeApiException InvalidRequest(string message, string? param = null, string? code = null) =>
        new(400, "invalid_request_error", message, code, param);

    public static StripeApiException Missing(string resource, string id, string? param = null) =>
        new(404, "invalid_request_error", $"No such {resource}: '{id}'", "resource_missing", param);

    public ApiResult ToResult()
    {
        var error = new JsonObject
        {
            ["type"] = Type,
            ["message"] = Message,
        };
        if (Code is not null)
        {
            error["code"] = Code;
            error["doc_url"] = $"https://stripe.com/docs/error-codes/{Code.Replace('_', '-')}";
        }

        if (DeclineCode is not null)
        {
            error["decline_code"] = DeclineCode;
        }

        if (Param is not null)
        {
            error["param"] = Param;
        }

        if (ChargeId is not null)
        {
            error["charge"] = ChargeId;
        }

        if (PaymentIntent is not null)
        {
            error["payment_intent"] = PaymentIntent.DeepClone();
        }

        if (PaymentMethod is not null)
        {
            error["payment_method"] = PaymentMethod.DeepClone();
        }

        return new ApiResult(Status, new JsonObject { ["error"] = error });
    }
}

/// <summary>What the API answered: the status and body, stored as-is for idempotent replays.</summary>
public sealed record ApiResult(int Status, JsonNode Body)
{
    public string Json { get; } = Body.ToJsonString();
}
