using MedSpa.Members;
using MedSpa.Plans;

namespace MedSpa.Grains.Members;

/// <summary>Plan changes and price increases: the grain fetches the plan, asks the domain, records, then charges.</summary>
public sealed partial class MemberGrain
{
    public async Task<PlanChangeOutcome> ChangePlanAsync(PlanChangeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Member.RequireProfile();
        if (!request.Confirm)
        {
            return Member.QuotePlanChange(Id, await CurrentVersionAsync(request.PlanId), Now);
        }

        var changeId = Domain.Members.Member.RequireChangeId(request.ChangeId, Now);
        try
        {
            return await MakePlanChangeAsync(request.PlanId, changeId);
        }
        finally
        {
            // An upgrade charge whose answer was lost must be settled by the billing run if no one retries it.
            await ScheduleAsync();
        }
    }

    private async Task<PlanChangeOutcome> MakePlanChangeAsync(string? planId, string changeId)
    {
        // A retry after a crash between the attempt and its answer settles that attempt (same key), never charges anew.
        if (Member.UnresolvedAttempt is { } open && Domain.Members.Member.ChangeIdOf(open.AttemptId) == changeId)
        {
            await SettleAsync(open.AttemptId, await gateway.FindChargeAsync(open.AttemptId) ?? await SendAsync(open.AttemptId));
            return Member.PlanChangeOutcome(Id, changeId, Now);
        }

        var plan = await CurrentVersionAsync(planId);
        // Listed before the change is recorded: a failure in between leaves a roster entry the member grain ignores.
        await RosterOf(plan.PlanId).JoinAsync(Id);
        var events = Member.ConfirmPlanChange(Id, changeId, plan, Now);
        await RecordAsync(events);
        if (events.OfType<ChargeAttempted>().FirstOrDefault() is { } attempt)
        {
            await SettleAsync(attempt.AttemptId, await SendAsync(attempt.AttemptId));
        }

        return Member.PlanChangeOutcome(Id, changeId, Now);
    }

    public async Task<MemberPriceChangeView?> NotifyPriceIncreaseAsync(PriceIncreaseNotice notice)
    {
        await RecordAsync(Member.NotifyPriceIncrease(notice, Now));
        return Member.PriceIncreaseView(Id, notice.ChangeId);
    }

    public async Task<MemberPriceChangeView> ConfirmPriceIncreaseAsync(string changeId, PriceIncreaseConfirmation confirmation)
    {
        await RecordAsync(Member.ConfirmPriceIncrease(changeId, confirmation?.ConfirmedVia, Now));
        return Member.RequirePriceIncreaseView(Id, changeId);
    }

    public Task<MemberPriceChangeView?> GetPriceIncreaseAsync(string changeId)
    {
        Member.RequireProfile();
        return Task.FromResult(Member.PriceIncreaseView(Id, changeId));
    }

    /// <summary>The plan's version a member would move to now. 404 <c>plan_not_found</c>.</summary>
    private async Task<PlanVersion> CurrentVersionAsync(string? planId)
    {
        if (planId is null || !planId.StartsWith("plan_", StringComparison.Ordinal) || planId.Length > 100)
        {
            throw Domain.Reject.NotFound("plan_not_found", $"There is no plan \"{planId}\".");
        }

        return (await GrainFactory.GetGrain<IPlanGrain>(planId).GetAsync()).Current;
    }

    private IPlanRosterGrain RosterOf(string planId) => GrainFactory.GetGrain<IPlanRosterGrain>(planId);
}
