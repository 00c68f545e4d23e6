using MedSpa.Billing;
using MedSpa.Domain.Billing;
using MedSpa.Members;

namespace MedSpa.Grains.Members;

/// <summary>
/// Billing on the member's own schedule. The billing run (through the due index) and, as a safety net, a reminder only
/// wake the grain; the domain's <see cref="DueWork"/> says what is due at now, so a duplicate wake finds nothing to do
/// and a late one does everything missed, in order.
/// </summary>
public sealed partial class MemberGrain : IRemindable
{
    private const string BillingReminder = "billing";

    /// <summary>A safety net on top of the first tick: a lost tick is retried a day later at worst.</summary>
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromDays(1);

    /// <summary>
    /// How long after its due instant a member's own reminder fires. Waking members when they fall due is the billing
    /// run's work (the sweep every minute, or a clock advance), which takes them from the due index a page at a
    /// time under the cluster's Stripe budget. A reminder at the due instant itself fired for every member sharing it at
    /// once, thousands on a busy anniversary, each activating and queueing for Stripe ahead of the run's own wakes
    /// (BENCHMARKS.md, finding 10). Later than a run over the largest practice takes, so it only finds a member the runs
    /// could not reach: the index's entry lost, or every silo's sweep failing.
    /// </summary>
    private static readonly TimeSpan ReminderGrace = TimeSpan.FromMinutes(15);

    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan LongestBackoff = TimeSpan.FromHours(1);

    /// <summary>Enough for a renewal, its settlement and a suspension in one wake; more means something is looping.</summary>
    private const int MaxStepsPerWake = 12;

    private (bool Known, DateTimeOffset? At) _scheduled;

    /// <summary>
    /// The automatic reactivation offer the plan's current version no longer sends (removed, or made by hand): the due
    /// item comes from the member's own snapshot of the plan, so without this the grain would ask the plan again on every
    /// wake. Memory is enough: nothing was recorded, and after a restart the plan is asked once more, with the same answer.
    /// </summary>
    private DateTimeOffset? _offerNotSentAt;
    private (bool Known, FailedPayment? Entry) _reported;
    private int _stuckWakes;

    public async Task WakeAsync(DateTimeOffset asOf)
    {
        await clockCatchUp.CatchUpAsync(asOf);
        await RunDueWorkAsync();
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => RunDueWorkAsync();

    private async Task RunDueWorkAsync()
    {
        if (State.Damage is not null)
        {
            // What a member whose log cannot be read owes is unknown, so nothing is charged: the runs pass them by for
            // an hour at a time, and each wake reads the log again, so a repaired one is billed as usual.
            await dueIndex.SetAsync(Id, Now + LongestBackoff);
            DeactivateOnIdle();
            return;
        }

        if (!Member.IsRegistered)
        {
            await ScheduleAsync();
            return;
        }

        await RefreshDunningAsync();
        var stuck = false;
        for (var step = 0; step < MaxStepsPerWake && !stuck; step++)
        {
            if (Member.Billing is not { } billing)
            {
                break;
            }

            var work = DueNow(billing);
            if (Member.UnresolvedAttempt is null && work.Items.Count == 0)
            {
                break;
            }

            try
            {
                stuck = !await DoAsync(Member.UnresolvedAttempt is null ? work.Items[0] : null);
            }
            catch (CommandRejectedException e) when (e.Kind == RejectionKind.Unavailable)
            {
                // The processor cannot be reached: nothing was recorded beyond the open attempt; try again later.
                stuck = true;
            }
        }

        _stuckWakes = stuck ? _stuckWakes + 1 : 0;
        await ScheduleAsync();
    }

    /// <summary>Does one due item (or settles the open attempt first); false when it could not finish and must wait.</summary>
    private async Task<bool> DoAsync(DueItem? item)
    {
        var before = Version;
        switch (item)
        {
            case DueItem.ChargePeriod when Member.UnresolvedAttempt is null && Member.SettleCoveredPeriod(Now) is { Count: > 0 } covered:
                await RecordAsync(covered);
                break;
            case null or DueItem.ChargePeriod or DueItem.RetryCharge when Member.Card is not null || Member.UnresolvedAttempt is not null:
                await ChargeDueAsync();
                return Member.UnresolvedAttempt is null;
            case DueItem.ChargePeriod or DueItem.RetryCharge:
                await RecordAsync(Member.ChaseWithoutCard(Now, _dunning));
                break;
            case DueItem.SuspendForNonPayment:
                await RecordAsync(Member.SuspendForNonPayment(Now));
                break;
            case DueItem.LapseUnpaidEnrolment:
                await RecordAsync(Member.LapseUnpaidEnrolment(Now, _dunning));
                break;
            case DueItem.CancelForNonPayment cancel:
                await RecordAsync(Member.CancelForNonPayment(cancel.Reason, Now));
                break;
            case DueItem.EndMembership:
                await RecordAsync(Member.EndMembership(Now));
                break;
            case DueItem.ResumeFromPause:
                await RecordAsync(Member.Resume(Now, automatically: true));
                break;
            case DueItem.RenewalNotice:
                await RecordAsync(Member.IssueRenewalNotice(Now));
                break;
            case DueItem.SendReactivationOffer offer:
                // The plan's current version, as an offer sent by hand would be.
                var sent = Member.SendAutomaticOffer(await CurrentVersionAsync(Member.Enrolment!.Plan.PlanId), Now);
                if (sent.Count == 0)
                {
                    _offerNotSentAt = offer.DueAt;
                    return true;
                }

                await RecordAsync(sent);
                break;
            case DueItem.CreditsExpiringNotice:
                await RecordAsync(Member.IssueCreditsExpiringNotice(await Practice.GetCatalogueAsync(), Now));
                break;
            case DueItem.CardExpiringNotice:
                await RecordAsync(Member.IssueCardExpiringNotice(Now));
                break;
            default:
                throw new InvalidOperationException($"Billing has no way to do {item?.GetType().Name} yet.");
        }

        // Every item records something; if it did not, asking again would only find the same item.
        return Version > before;
    }

    /// <summary>
    /// Points the due index at the next instant there is work, and the reminder <see cref="ReminderGrace"/> after it: at
    /// once (with a growing back-off) while something is due but could not be done, at the domain's next due instant
    /// otherwise. Written only when it changes, and after the work, so a crash mid-work leaves the old (already due)
    /// instant in the index.
    /// The failed-payments board is told first: whoever sees this member no longer due (the billing run, between a
    /// reminder's tick and its own wake) must also see its board line as the work left it.
    /// </summary>
    private async Task ScheduleAsync()
    {
        await ReportToBoardAsync();
        var next = NextWake();
        if (!_scheduled.Known || _scheduled.At != next)
        {
            await dueIndex.SetAsync(Id, next);
            if (next is { } at)
            {
                var wait = at + ReminderGrace - Now;
                await this.RegisterOrUpdateReminder(BillingReminder, wait > TimeSpan.FromSeconds(1) ? wait : TimeSpan.FromSeconds(1), ReminderPeriod);
            }
            else if (await this.GetReminder(BillingReminder) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }

            _scheduled = (true, next);
        }
    }

    private DateTimeOffset? NextWake()
    {
        if (Member.Billing is not { } billing)
        {
            return null;
        }

        var work = DueNow(billing);
        if (work.Items.Count == 0 && Member.UnresolvedAttempt is null)
        {
            return work.NextDueAt;
        }

        var backoff = TimeSpan.FromTicks(Math.Min(LongestBackoff.Ticks, FirstBackoff.Ticks << Math.Min(_stuckWakes, 10)));
        return Now + backoff;
    }

    /// <summary>The domain's due work, less an automatic offer the plan no longer sends.</summary>
    private DueWork DueNow(BillingState billing)
    {
        var work = DueWork.At(billing, Now, _dunning);
        return _offerNotSentAt is { } skipped && work.Items.Any(i => i is DueItem.SendReactivationOffer o && o.DueAt == skipped)
            ? work with { Items = [.. work.Items.Where(i => !(i is DueItem.SendReactivationOffer o && o.DueAt == skipped))] }
            : work;
    }

    /// <summary>Keeps this member's line on the failed-payments board in step with its dunning.</summary>
    private async Task ReportToBoardAsync()
    {
        var entry = Member.FailedPaymentLine(Id, _dunning);
        if (_reported.Known && _reported.Entry == entry)
        {
            return;
        }

        var board = GrainFactory.GetGrain<IFailedPaymentsGrain>(IFailedPaymentsGrain.Key);
        if (entry is not null)
        {
            await board.ReportAsync(entry);
        }
        else if (_reported.Known || Member.ChargeAttempts.Count > 0 || Member.Notices.Any(n => n.Kind == NoticeKind.PaymentFailed))
        {
            // A member who was never chased was never on the board: no need to ask it on every activation. (One chased
            // without a card has no charge attempts, but was told it failed.)
            await board.ClearAsync(Id);
        }

        _reported = (true, entry);
    }
}
