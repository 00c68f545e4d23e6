using MedSpa.Billing;
using MedSpa.Members;
using System.Net;
using Stripe;

namespace MedSpa.Grains.Billing;

/// <summary>
/// <see cref="IPaymentGateway"/> on Stripe.net. Stripe.net's own retries are off: billing decides what to repeat,
/// always under the attempt's idempotency key. Every call passes the process-wide throttle, and a 429 is retried
/// here with jittered backoff (Stripe.net does not retry 429s) before being reported as
/// <see cref="ChargeResult.RateLimited"/>.
/// </summary>
public sealed class StripePaymentGateway(StripeClient client, StripeThrottle throttle, TimeProvider time) : IPaymentGateway
{
    private const int MaxAttempts = 3;
    private static readonly TimeSpan BackoffBase = TimeSpan.FromMilliseconds(200);

    /// <summary>A Stripe.net client with its retries off, aimed at Stripe or, via <see cref="StripeOptions.ApiBase"/>, the emulator.</summary>
    public static StripeClient CreateClient(StripeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var apiKey = options.SecretKey ?? throw new InvalidOperationException($"{StripeOptions.Section}:SecretKey is required.");
        var http = new HttpClient { Timeout = options.RequestTimeout };
        var apiBase = options.ApiBase?.ToString().TrimEnd('/');
        return new StripeClient(new StripeClientOptions
        {
            ApiKey = apiKey,
            HttpClient = new SystemNetHttpClient(http, maxNetworkRetries: 0, appInfo: null, enableTelemetry: false),
            ApiBase = apiBase ?? StripeClient.DefaultApiBase,
            FilesBase = apiBase ?? StripeClient.DefaultFilesBase,
            ConnectBase = apiBase ?? StripeClient.DefaultConnectBase,
            MeterEventsBase = apiBase ?? StripeClient.DefaultMeterEventsBase,
        });
    }

    public async Task<string> EnsureCustomerAsync(string memberId, string email, string name, CancellationToken cancellationToken = default)
    {
        // Keyed by member so a retried registration finds the customer its first try made (Stripe keeps keys 24 h;
        // the member grain stores the id, so later calls never come here again).
        var customer = await ReachAsync(
            ct => client.V1.Customers.CreateAsync(
                new CustomerCreateOptions
                {
                    Email = email,
                    Name = name,
                    Metadata = new Dictionary<string, string> { ["member_id"] = memberId },
                },
                new RequestOptions { IdempotencyKey = $"customer:{memberId}" },
                ct),
            cancellationToken);
        return customer.Id;
    }

    public async Task<CardSetup> StartCardSetupAsync(string customerId, CancellationToken cancellationToken = default)
    {
        var intent = await ReachAsync(
            ct => client.V1.SetupIntents.CreateAsync(new SetupIntentCreateOptions { Customer = customerId, Usage = "off_session" }, null, ct),
            cancellationToken);
        return new CardSetup(intent.Id, intent.ClientSecret);
    }

    public async Task<SavedCard> AttachCardAsync(string customerId, string paymentMethodId, CancellationToken cancellationToken = default)
    {
        PaymentMethod paymentMethod;
        try
        {
            paymentMethod = await ReachAsync(
                ct => client.V1.PaymentMethods.AttachAsync(paymentMethodId, new PaymentMethodAttachOptions { Customer = customerId }, null, ct),
                cancellationToken);
        }
        catch (StripeException refused) when ((int)refused.HttpStatusCode is >= 400 and < 500 and not 429)
        {
            // An unknown, expired or declined card is the caller's to fix, not a fault of ours.
            throw Domain.Reject.Invalid("payment_method_rejected", refused.StripeError?.Message ?? "The card processor refused this payment method.");
        }
        return await MakeDefaultAsync(customerId, paymentMethod, cancellationToken);
    }

    public async Task<SavedCard> CompleteCardSetupAsync(string customerId, string setupIntentId, CancellationToken cancellationToken = default)
    {
        var intent = await FindAsync(
            ct => client.V1.SetupIntents.GetAsync(setupIntentId, new SetupIntentGetOptions { Expand = ["payment_method"] }, null, ct),
            cancellationToken);
        if (intent is null || intent.CustomerId != customerId)
        {
            throw Domain.Reject.NotFound("card_setup_not_found", $"There is no card setup {setupIntentId} for this member.");
        }

        if (intent.Status != "succeeded" || intent.PaymentMethod is not { } paymentMethod)
        {
            throw Domain.Reject.Invalid("card_setup_incomplete", $"The card setup is {intent.Status}: the member has not confirmed a card on it yet.");
        }

        return await MakeDefaultAsync(customerId, paymentMethod, cancellationToken);
    }

    private async Task<SavedCard> MakeDefaultAsync(string customerId, PaymentMethod paymentMethod, CancellationToken cancellationToken)
    {
        await ReachAsync(
            ct => client.V1.Customers.UpdateAsync(
                customerId,
                new CustomerUpdateOptions { InvoiceSettings = new CustomerInvoiceSettingsOptions { DefaultPaymentMethod = paymentMethod.Id } },
                null,
                ct),
            cancellationToken);
        var card = paymentMethod.Card;
        return new SavedCard(paymentMethod.Id, card?.Brand, card?.Last4, (int?)card?.ExpMonth, (int?)card?.ExpYear);
    }

    public async Task<ChargeOutcome> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = new PaymentIntentCreateOptions
        {
            Amount = request.Amount.Amount,
            Currency = request.Amount.Currency,
            Customer = request.CustomerId,
            PaymentMethod = request.PaymentMethodId,
            Confirm = true,
            OffSession = true,
            Description = request.Description,
            Metadata = new Dictionary<string, string>
            {
                ["attempt_id"] = request.AttemptId,
                ["member_id"] = request.MemberId,
            },
        };
        try
        {
            var intent = await CallAsync(
                ct => client.V1.PaymentIntents.CreateAsync(options, new RequestOptions { IdempotencyKey = request.IdempotencyKey }, ct),
                cancellationToken);
            return StripeErrors.FromIntent(intent);
        }
        catch (StripeException exception)
        {
            return StripeErrors.ToOutcome(exception);
        }
        catch (HttpRequestException exception)
        {
            return new ChargeOutcome(ChargeResult.Unknown, null, null, exception.Message);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The HTTP timeout, not the caller: the request may have reached Stripe.
            return new ChargeOutcome(ChargeResult.Unknown, null, null, exception.Message);
        }
    }

    /// <summary>
    /// Throws when the lookup itself fails: null must mean "Stripe has no such charge", never "could not ask".
    /// Stripe's search index can lag by about a minute, so callers should look up only after that.
    /// </summary>
    public async Task<ChargeOutcome?> FindChargeAsync(string attemptId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attemptId);
        var escaped = attemptId.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal);
        var found = await ReachAsync(
            ct => client.V1.PaymentIntents.SearchAsync(
                new PaymentIntentSearchOptions { Query = $"metadata['attempt_id']:'{escaped}'", Limit = 10 }, null, ct),
            cancellationToken);
        if (found.Data.Count == 0)
        {
            return null;
        }

        // One key per attempt means one intent; should there be more, money taken is what matters.
        var intent = found.Data.FirstOrDefault(pi => pi.Status == "succeeded") ?? found.Data.OrderByDescending(pi => pi.Created).First();
        return StripeErrors.FromIntent(intent);
    }

    public async Task<RefundOutcome> RefundAsync(string paymentIntentId, Money? amount, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        try
        {
            var refund = await ReachAsync(
                ct => client.V1.Refunds.CreateAsync(
                    new RefundCreateOptions { PaymentIntent = paymentIntentId, Amount = amount?.Amount },
                    new RequestOptions { IdempotencyKey = idempotencyKey },
                    ct),
                cancellationToken);
            return new RefundOutcome(refund.Status is "succeeded" or "pending", refund.Id, refund.Status, refund.ChargeId);
        }
        catch (StripeException refused) when ((int)refused.HttpStatusCode is >= 400 and < 500 and not 429)
        {
            // Refused (already refunded, more than was charged): an answer, not an outage. An outage is a 503 from
            // ReachAsync, and repeating the request under the same key is then safe.
            return new RefundOutcome(false, null, refused.StripeError?.Message ?? refused.Message);
        }
    }

    public async Task<ProcessorIntent?> GetPaymentIntentAsync(string paymentIntentId, CancellationToken cancellationToken = default)
    {
        var intent = await FindAsync(ct => client.V1.PaymentIntents.GetAsync(paymentIntentId, null, null, ct), cancellationToken);
        if (intent?.Metadata is not { } metadata
            || !metadata.TryGetValue("member_id", out var memberId) || !metadata.TryGetValue("attempt_id", out var attemptId))
        {
            return null;
        }

        var outcome = StripeErrors.FromIntent(intent);
        return new ProcessorIntent(memberId, new ProcessorCharge(intent.Id, attemptId, outcome.Result, outcome.DeclineCode, outcome.Message));
    }

    public async Task<ChargeSnapshot?> GetChargeAsync(string chargeId, CancellationToken cancellationToken = default)
    {
        // Refunds are no longer embedded in charges by default on recent API versions: ask for them.
        var charge = await FindAsync(
            ct => client.V1.Charges.GetAsync(chargeId, new ChargeGetOptions { Expand = ["refunds"] }, null, ct), cancellationToken);
        if (charge is null)
        {
            return null;
        }

        var memberId = charge.Metadata?.GetValueOrDefault("member_id");
        if (memberId is null && charge.PaymentIntentId is { } intentId)
        {
            var intent = await FindAsync(ct => client.V1.PaymentIntents.GetAsync(intentId, null, null, ct), cancellationToken);
            memberId = intent?.Metadata?.GetValueOrDefault("member_id");
        }

        if (memberId is null && charge.CustomerId is { } customerId)
        {
            memberId = await GetCustomerMemberIdAsync(customerId, cancellationToken);
        }

        var refunds = (charge.Refunds?.Data ?? []).Select(r => new ProcessorRefund(
            r.Id, charge.Id, charge.PaymentIntentId, new Money(r.Amount, r.Currency ?? charge.Currency), r.Status ?? "succeeded")).ToArray();
        return new ChargeSnapshot(charge.Id, charge.PaymentIntentId, memberId, refunds);
    }

    public async Task<ProcessorDispute?> GetDisputeAsync(string disputeId, CancellationToken cancellationToken = default)
    {
        var dispute = await FindAsync(ct => client.V1.Disputes.GetAsync(disputeId, null, null, ct), cancellationToken);
        return dispute is null
            ? null
            : new ProcessorDispute(
                dispute.Id, dispute.ChargeId, dispute.PaymentIntentId, new Money(dispute.Amount, dispute.Currency), dispute.Reason ?? "general",
                dispute.Status, dispute.EvidenceDetails?.DueBy is { } due ? new DateTimeOffset(due, TimeSpan.Zero) : null);
    }

    public async Task<PaymentMethodSnapshot?> GetPaymentMethodAsync(string paymentMethodId, CancellationToken cancellationToken = default)
    {
        var paymentMethod = await FindAsync(ct => client.V1.PaymentMethods.GetAsync(paymentMethodId, null, null, ct), cancellationToken);
        var card = paymentMethod?.Card;
        return paymentMethod is null
            ? null
            : new PaymentMethodSnapshot(paymentMethod.CustomerId, new CardOnFile(paymentMethod.Id, card?.Brand, card?.Last4, (int?)card?.ExpMonth, (int?)card?.ExpYear));
    }

    public async Task<string?> GetCustomerMemberIdAsync(string customerId, CancellationToken cancellationToken = default)
    {
        var customer = await FindAsync(ct => client.V1.Customers.GetAsync(customerId, null, null, ct), cancellationToken);
        return customer?.Metadata?.GetValueOrDefault("member_id");
    }

    /// <summary>A read where "no such object" is an answer (null), not a failure.</summary>
    private async Task<T?> FindAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await ReachAsync(call, cancellationToken);
        }
        catch (StripeException missing) when (missing.HttpStatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// A call whose failure to reach Stripe is the caller's to retry later: a refusal (503
    /// <c>payment_processor_unavailable</c>) rather than a crash. Answers Stripe gives (4xx) pass through.
    /// </summary>
    private async Task<T> ReachAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await CallAsync(call, cancellationToken);
        }
        catch (Exception unreachable) when (unreachable is HttpRequestException
            || (unreachable is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            || (unreachable is StripeException stripe && ((int)stripe.HttpStatusCode is 0 or 429 or >= 500)))
        {
            throw Domain.Reject.Unavailable("payment_processor_unavailable", "The card processor could not be reached; nothing was changed. Try again shortly.");
        }
    }

    private async Task<T> CallAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await throttle.WaitAsync(cancellationToken);
            try
            {
                return await call(cancellationToken);
            }
            catch (StripeException exception) when (exception.HttpStatusCode == HttpStatusCode.TooManyRequests && attempt < MaxAttempts)
            {
                await Task.Delay(Backoff(attempt), time, cancellationToken);
            }
        }
    }

    /// <summary>200 ms · 2^(n-1), ±50 %: spread out so throttled silos do not come back in step.</summary>
    private static TimeSpan Backoff(int attempt) =>
        BackoffBase * Math.Pow(2, attempt - 1) * (0.5 + Random.Shared.NextDouble());
}
