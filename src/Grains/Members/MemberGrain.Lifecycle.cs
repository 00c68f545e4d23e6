using MedSpa.Members;
using MedSpa.Plans;

namespace MedSpa.Grains.Members;

/// <summary>Cancellation, pause and reactivation: the domain decides, the grain records and reschedules.</summary>
public sealed partial class MemberGrain
{
    public async Task<CancellationView> CancelAsync(CancellationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Withdraw)
        {
            var withdrawn = Member.PendingCancellationView();
            await RecordAsync(Member.WithdrawCancellation(Now));
            await ScheduleAsync();
            return withdrawn! with { Stage = CancellationStage.Withdrawn };
        }

        if (!request.Confirm)
        {
            return Member.QuoteCancellation(request.Option, Now);
        }

        try
        {
            var events = Member.ConfirmCancellation(request, Now);
            await RecordAsync(events);
            if (Member.UnresolvedAttempt is { Purpose: ChargePurpose.BuyOut } buyOut)
            {
                // A new attempt is sent; one left open by a lost answer is found or repeated under its key, never charged anew.
                var outcome = events.Count > 0
                    ? await SendAsync(buyOut.AttemptId)
                    : await gateway.FindChargeAsync(buyOut.AttemptId) ?? await SendAsync(buyOut.AttemptId);
                await SettleAsync(buyOut.AttemptId, outcome);
            }

            return Member.ConfirmationOutcome(request, Now);
        }
        finally
        {
            // A buy-out whose answer was lost must be settled by the billing run if no one repeats the confirmation.
            await ScheduleAsync();
        }
    }

    public async Task<MembershipView> PauseAsync(PauseRequest request)
    {
        await RecordAsync(Member.Pause(request, Now));
        await ScheduleAsync();
        return Member.Membership(Id);
    }

    public async Task<MembershipView> ResumeAsync()
    {
        await RecordAsync(Member.Resume(Now));
        // The resumed period is owed from today's charge time: charged now when that has passed, else scheduled.
        await RunDueWorkAsync();
        return Member.Membership(Id);
    }

    public async Task<ReactivationOffered> OfferReactivationAsync()
    {
        var planId = Member.Enrolment?.Plan.PlanId;
        var plan = planId is null ? null : await GrainFactory.GetGrain<IPlanGrain>(planId).GetAsync();
        if (plan is null)
        {
            Member.RequireProfile();
            throw Domain.Reject.Conflict("not_cancelled", "Only a member whose membership has ended can be offered to come back.");
        }

        var events = Member.OfferReactivation(plan.Current, Now);
        await RecordAsync(events);
        // An offer sent by hand before the automatic one was due leaves nothing to wake for.
        await ScheduleAsync();
        return (ReactivationOffered)events[0];
    }

    public Task<LapseView?> GetLapseAsync() => Task.FromResult(Member.IsRegistered ? Member.Lapse(Id, Now) : null);

    public async Task<MembershipView> ReactivateAsync(ReactivationRequest request, SignatureContext signature)
    {
        ArgumentNullException.ThrowIfNull(request);
        Member.RequireProfile();
        var planId = request.PlanId ?? Member.Reactivation?.Offer.PlanId
            ?? throw Domain.Reject.Conflict("no_reactivation_offer_sent", "No reactivation offer was sent for this lapse; send one first.");
        return await JoinPlanAsync(planId, (plan, catalogue) => Member.Reactivate(request, signature, plan, catalogue, Now));
    }
}
