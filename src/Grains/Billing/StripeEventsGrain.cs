using MedSpa.Billing;
using MedSpa.Grains.Telemetry;
using MedSpa.Members;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace MedSpa.Grains.Billing;

/// <summary>Configuration section <c>Practice</c>: who at the practice hears about payment trouble.</summary>
public sealed class StaffNoticeOptions
{
    public const string Section = "Practice";

    /// <summary>Where staff notices (a dispute opened) are addressed.</summary>
    public string StaffEmail { get; set; } = "staff@localhost";
}

/// <summary>
/// Handles verified Stripe events: claims the event id, fetches the object the event names from Stripe (its payload
/// may be older than what Stripe has now), and gives the member grain the current facts. A failure releases the
/// claim and propagates, so the web tier answers 5xx and Stripe redelivers.
/// </summary>
[StatelessWorker]
public sealed partial class StripeEventsGrain(
    IStripeEventStore store,
    IPaymentGateway gateway,
    IOptions<StaffNoticeOptions> staff,
    TimeProvider clock,
    MedSpaMetrics metrics,
    ILogger<StripeEventsGrain> logger) : Grain, IStripeEventsGrain
{
    /// <summary>Longer than any handling takes; a claim older than this was left by a process that died.</summary>
    private static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(2);

    public async Task<StripeEventOutcome> HandleAsync(StripeEventNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        if (!IStripeEventsGrain.HandledTypes.Contains(notice.Type))
        {
            return StripeEventOutcome.Ignored;
        }

        switch (await store.ClaimAsync(notice.EventId, notice.Type, clock.GetUtcNow(), ClaimLease))
        {
            case StripeEventClaim.AlreadyProcessed:
                return StripeEventOutcome.Duplicate;
            case StripeEventClaim.InProgress:
                return StripeEventOutcome.InProgress;
        }

        bool handled;
        try
        {
            handled = await DispatchAsync(notice);
        }
        catch (Exception failure)
        {
            LogFailed(failure, notice.EventId, notice.Type);
            await store.ReleaseAsync(notice.EventId);
            throw;
        }

        await store.CompleteAsync(notice.EventId, clock.GetUtcNow());
        if (notice.CreatedAt is { } created)
        {
            // Stripe dates its events on the real clock, whatever the practice's (possibly simulated) clock says.
            metrics.WebhookHandled(TimeProvider.System.GetUtcNow() - created);
        }

        return handled ? StripeEventOutcome.Processed : StripeEventOutcome.Ignored;
    }

    /// <summary>False when the object is not one of our members' (or no longer exists): nothing to do.</summary>
    private async Task<bool> DispatchAsync(StripeEventNotice notice)
    {
        switch (notice.Type)
        {
            case "payment_intent.succeeded" or "payment_intent.payment_failed" or "payment_intent.requires_action":
            {
                if (await gateway.GetPaymentIntentAsync(notice.ObjectId) is not { } intent || !IsMemberId(intent.MemberId))
                {
                    return false;
                }

                await Member(intent.MemberId).SettleChargeFromProcessorAsync(intent.Charge);
                return true;
            }

            case "charge.refunded":
            {
                if (await gateway.GetChargeAsync(notice.ObjectId) is not { MemberId: { } memberId } charge || !IsMemberId(memberId))
                {
                    return false;
                }

                await Member(memberId).RecordRefundsAsync(charge.Refunds);
                return true;
            }

            case "charge.dispute.created":
            {
                if (await gateway.GetDisputeAsync(notice.ObjectId) is not { } dispute
                    || await gateway.GetChargeAsync(dispute.ChargeId) is not { MemberId: { } memberId }
                    || !IsMemberId(memberId))
                {
                    return false;
                }

                await Member(memberId).RecordDisputeAsync(dispute, staff.Value.StaffEmail);
                return true;
            }

            case "payment_method.detached":
            {
                // The detached card names no customer any more; Stripe says whose it was in previous_attributes.
                if (notice.PreviousCustomerId is not { } customerId
                    || await gateway.GetPaymentMethodAsync(notice.ObjectId) is not { } paymentMethod
                    || paymentMethod.CustomerId == customerId
                    || await gateway.GetCustomerMemberIdAsync(customerId) is not { } memberId
                    || !IsMemberId(memberId))
                {
                    return false;
                }

                await Member(memberId).RemoveCardAsync(notice.ObjectId);
                return true;
            }

            case "payment_method.automatically_updated":
            {
                if (await gateway.GetPaymentMethodAsync(notice.ObjectId) is not { CustomerId: { } customerId } paymentMethod
                    || await gateway.GetCustomerMemberIdAsync(customerId) is not { } memberId
                    || !IsMemberId(memberId))
                {
                    return false;
                }

                await Member(memberId).UpdateCardFromProcessorAsync(paymentMethod.Card);
                return true;
            }

            default:
                return false;
        }
    }

    /// <summary>Metadata is free text on the Stripe account: only ids shaped like ours may activate a member grain.</summary>
    private static bool IsMemberId(string id) => id.StartsWith("mem_", StringComparison.Ordinal) && id.Length <= 64;

    private IMemberGrain Member(string id) => GrainFactory.GetGrain<IMemberGrain>(id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe event {EventId} ({Type}) failed; released for redelivery")]
    private partial void LogFailed(Exception failure, string eventId, string type);
}
