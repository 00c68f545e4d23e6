using MedSpa.Members;

namespace MedSpa.Grains.Members;

/// <summary>
/// What the card processor reports after the fact. Each method takes the object as fetched from the processor and is
/// a no-op when there is nothing new, so redeliveries and reordered events are harmless; none of them charges.
/// </summary>
public sealed partial class MemberGrain
{
    private IDisputeDeskGrain DisputeDesk => GrainFactory.GetGrain<IDisputeDeskGrain>(IDisputeDeskGrain.Key);

    public async Task SettleChargeFromProcessorAsync(ProcessorCharge charge)
    {
        if (Member.IsRegistered)
        {
            await RefreshDunningAsync();
            await RecordAsync(Member.SettleFromProcessor(charge, Now, _dunning));
            await ScheduleAsync();
        }
    }

    public async Task RecordRefundsAsync(ProcessorRefund[] refunds)
    {
        if (Member.IsRegistered)
        {
            await RecordAsync(Member.RecordRefunds(refunds, Now));
        }
    }

    public async Task RecordDisputeAsync(ProcessorDispute dispute, string staffEmail)
    {
        ArgumentNullException.ThrowIfNull(dispute);
        if (!Member.IsRegistered)
        {
            return;
        }

        await RecordAsync(Member.RecordDispute(dispute, staffEmail, Now));
        // Sent even when the dispute was already recorded: a desk update lost to a crash is repaired by the redelivery.
        await DisputeDesk.RecordAsync(Domain.Members.Member.DisputeView(Id, Member.Disputes[dispute.DisputeId]));
    }

    public async Task RemoveCardAsync(string paymentMethodId)
    {
        if (Member.IsRegistered)
        {
            await RecordAsync(Member.RemoveCard(paymentMethodId, "detached at the card processor", Now));
            await ScheduleAsync();
        }
    }

    public async Task UpdateCardFromProcessorAsync(CardOnFile card)
    {
        if (Member.IsRegistered)
        {
            // A reissued card has a new expiry, and so its own notice in its own time.
            await RecordAsync(Member.UpdateCard(card, Now));
            await ScheduleAsync();
        }
    }

    public Task<DisputeView[]> GetDisputesAsync()
    {
        Member.RequireProfile();
        return Task.FromResult(Member.DisputeViews(Id));
    }

    public async Task<PaymentView[]> RefundPaymentAsync(RefundRequest request)
    {
        if (Member.PlanRefund(Id, request) is { } plan)
        {
            var outcome = await gateway.RefundAsync(plan.PaymentIntentId, plan.Amount, plan.IdempotencyKey);
            if (!outcome.Succeeded || outcome.RefundId is null)
            {
                throw Domain.Reject.Conflict("refund_refused", $"The card processor refused the refund: {outcome.Message}");
            }

            var refund = new ProcessorRefund(outcome.RefundId, outcome.ChargeId ?? "", plan.PaymentIntentId, plan.Amount, outcome.Message ?? "succeeded");
            await RecordAsync(Member.RecordStaffRefund(request, refund, Now));
        }

        return [.. Member.Payments];
    }
}
