using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace MedSpa.StripeEmulator;

/// <summary>
/// The <c>/v1</c> pipeline, in Stripe's order: authenticate, rate limit, injected faults, idempotency, then the
/// operation. Routing is a plain switch so the idempotency and fault handling wrap every endpoint alike.
/// </summary>
public sealed class StripeApi(EmulatorState state, IdempotencyStore idempotency, FaultInjector faults, ApiRateLimiter rateLimiter, ApiLatency latency)
{
    public async Task HandleAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        await latency.WaitAsync(http.RequestAborted);
        var request = http.Request;
        var method = request.Method.ToUpperInvariant();
        var path = request.Path.Value ?? "/";
        var requestId = "req_" + RandomNumberGenerator.GetHexString(14, lowercase: true);
        http.Response.Headers["Request-Id"] = requestId;

        var apiKey = ApiKey(request);
        if (apiKey is null)
        {
            await WriteAsync(http, new StripeApiException(401, "invalid_request_error",
                "Invalid API Key provided. The emulator accepts any key starting with sk_test_.").ToResult());
            return;
        }

        if (!rateLimiter.TryAcquire())
        {
            await WriteAsync(http, RateLimitError());
            return;
        }

        var fired = faults.Draw(method, path);
        if (fired.Any(f => f.Kind == FaultKind.RateLimited))
        {
            await WriteAsync(http, RateLimitError());
            return;
        }

        if (fired.Any(f => f.Kind == FaultKind.ServerErrorBefore))
        {
            await WriteAsync(http, ServerError(requestId));
            return;
        }

        var delay = fired.Where(f => f.Kind == FaultKind.Delay).Aggregate(TimeSpan.Zero, (sum, f) => sum + f.Delay);
        var failAfter = fired.Any(f => f.Kind == FaultKind.ServerErrorAfter);
        var form = await FormParams.ReadAsync(request);
        var stripeVersion = request.Headers["Stripe-Version"].ToString();
        var idempotencyKey = method == "POST" && request.Headers["Idempotency-Key"].ToString() is { Length: > 0 } key ? key : null;
        var call = new ApiCall(apiKey, requestId, idempotencyKey, stripeVersion.Length > 0 ? stripeVersion : null);

        ApiResult result;
        if (idempotencyKey is null)
        {
            result = await RunAsync(method, path, form, call, delay, http.RequestAborted);
        }
        else
        {
            var (decision, stored) = idempotency.Begin(apiKey, idempotencyKey, method + " " + path + "?" + form.Fingerprint());
            switch (decision)
            {
                case IdempotencyDecision.Replay:
                    http.Response.Headers["Idempotent-Replayed"] = "true";
                    result = stored!;
                    break;
                case IdempotencyDecision.Mismatch:
                    result = new StripeApiException(400, "idempotency_error",
                        $"Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{idempotencyKey}' if you meant to execute a different request.")
                        .ToResult();
                    break;
                case IdempotencyDecision.InFlight:
                    result = new StripeApiException(409, "idempotency_error",
                        "There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): "
                        + idempotencyKey + ". Please try again later.", "idempotency_key_in_use").ToResult();
                    break;
                default:
                    try
                    {
                        result = await RunAsync(method, path, form, call, delay, http.RequestAborted);
                    }
                    catch
                    {
                        idempotency.Release(apiKey, idempotencyKey);
                        throw;
                    }

                    if (result.Status is >= 200 and < 300 or 402)
                    {
                        idempotency.Complete(apiKey, idempotencyKey, result);
                    }
                    else
                    {
                        idempotency.Release(apiKey, idempotencyKey);
                    }

                    break;
            }
        }

        // The work is done and, under a key, stored: a retry with the same key learns the real outcome.
        await WriteAsync(http, failAfter ? ServerError(requestId) : result);
    }

    private async Task<ApiResult> RunAsync(string method, string path, FormParams form, ApiCall call, TimeSpan delay, CancellationToken cancellationToken)
    {
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, cancellationToken);
        }

        try
        {
            JsonNode body = Route(method, path, form, call);
            var expand = form.GetList("expand");
            if (expand.Count > 0)
            {
                state.Expand(body, expand);
            }

            return new ApiResult(200, body);
        }
        catch (StripeApiException error)
        {
            return error.ToResult();
        }
        catch (Exception error) when (error is InvalidOperationException or ArgumentException or KeyNotFoundException or FormatException)
        {
            // An emulator bug still answers in Stripe's envelope, so the client reports it rather than failing to parse.
            return new StripeApiException(500, "api_error", $"The emulator failed: {error.Message}").ToResult();
        }
    }

    private JsonObject Route(string method, string path, FormParams form, ApiCall call)
    {
        var segments = path.Trim('/').Split('/');
        return (method, segments) switch
        {
            ("POST", ["v1", "customers"]) => state.CreateCustomer(form, call),
            ("GET", ["v1", "customers"]) => state.ListCustomers(form),
            ("GET", ["v1", "customers", var id]) => state.GetCustomer(id),
            ("POST", ["v1", "customers", var id]) => state.UpdateCustomer(id, form),
            ("GET", ["v1", "payment_methods", var id]) => state.GetPaymentMethod(id),
            ("POST", ["v1", "payment_methods", var id, "attach"]) => state.AttachPaymentMethod(id, form, call),
            ("POST", ["v1", "payment_methods", var id, "detach"]) => state.DetachPaymentMethod(id, call),
            ("POST", ["v1", "setup_intents"]) => state.CreateSetupIntent(form, call),
            ("GET", ["v1", "setup_intents", var id]) => state.GetSetupIntent(id),
            ("POST", ["v1", "setup_intents", var id, "confirm"]) => state.ConfirmSetupIntent(id, form, call),
            ("POST", ["v1", "payment_intents"]) => state.CreatePaymentIntent(form, call),
            ("GET", ["v1", "payment_intents"]) => state.ListPaymentIntents(form),
            ("GET", ["v1", "payment_intents", "search"]) => state.SearchPaymentIntents(form),
            ("GET", ["v1", "payment_intents", var id]) => state.GetPaymentIntent(id),
            ("POST", ["v1", "payment_intents", var id, "confirm"]) => state.ConfirmPaymentIntent(id, form, call),
            ("POST", ["v1", "refunds"]) => state.CreateRefund(form, call),
            ("GET", ["v1", "refunds", var id]) => state.GetRefund(id),
            ("GET", ["v1", "charges", var id]) => state.GetCharge(id),
            ("GET", ["v1", "disputes", var id]) => state.GetDispute(id),
            ("GET", ["v1", "events"]) => state.ListEvents(form),
            ("GET", ["v1", "events", var id]) => state.GetEvent(id),
            _ => throw new StripeApiException(404, "invalid_request_error", $"Unrecognized request URL ({method}: {path}).", "resource_missing"),
        };
    }

    /// <summary>The request's secret key (<c>Bearer sk_test_…</c>), or null.</summary>
    internal static string? ApiKey(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string Bearer = "Bearer ";
        if (header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
        {
            var key = header[Bearer.Length..].Trim();
            return key.StartsWith("sk_test_", StringComparison.Ordinal) ? key : null;
        }

        return null;
    }

    private static ApiResult RateLimitError() =>
        new StripeApiException(429, "invalid_request_error",
            "Request rate limit exceeded. You can learn more about rate limits here https://stripe.com/docs/rate-limits.", "rate_limit").ToResult();

    private static ApiResult ServerError(string requestId) =>
        new StripeApiException(500, "api_error", $"Something went wrong on Stripe's end. (Request {requestId})").ToResult();

    private static async Task WriteAsync(HttpContext http, ApiResult result)
    {
        http.Response.StatusCode = result.Status;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(result.Json, http.RequestAborted);
    }
}
