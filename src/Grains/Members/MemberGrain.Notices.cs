using MedSpa.Members;
using MedSpa.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MedSpa.Grains.Members;

/// <summary>
/// The member's side of the notification outbox. A notice is recorded with the decision that needs it; delivery is
/// handed to a <see cref="INoticeSenderGrain"/> with a one-way call, so a slow or absent mail server never delays a
/// charge, and the member only learns of a delivery when the sender reports it. The log is the outbox: anything issued
/// and not reported sent is handed over again whenever the grain activates, and a reminder stays registered while
/// something is unsent, so a silo lost between recording a notice and handing it over brings the grain (and the
/// notice) back, even for a member with no billing left to wake them.
/// </summary>
public sealed partial class MemberGrain
{
    private const string NoticesReminder = "notices";

    /// <summary>How often an unsent notice brings the grain back; the sender's own retries are much sooner.</summary>
    private static readonly TimeSpan NoticesSafetyNet = TimeSpan.FromHours(1);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
        await RefreshDunningAsync();
        if (State.Damage is null)
        {
            Dispatch(Member.UnsentNotices);
        }
    }

    public async Task RecordNoticeSentAsync(string noticeId, string messageId, string recipient)
    {
        var events = Member.RecordNoticeSent(noticeId, messageId, recipient, Now);
        await RecordAsync(events);
        if (events.Count > 0 && !Member.UnsentNotices.Any() && await this.GetReminder(NoticesReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public Task<NoticeIssued?> GetUnsentNoticeAsync(string noticeId) => Task.FromResult(Member.UnsentNotice(noticeId));

    /// <summary>Called with what was just recorded: keeps the safety net up, then hands the new notices over.</summary>
    private async Task DispatchRecordedAsync(IReadOnlyList<MemberEvent> recorded)
    {
        if (!recorded.OfType<NoticeIssued>().Any(Domain.Members.Member.IsOutboxNotice))
        {
            return;
        }

        try
        {
            await this.RegisterOrUpdateReminder(NoticesReminder, NoticesSafetyNet, NoticesSafetyNet);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The notice is recorded and is handed over below; only the crash safety net is missing, and billing must
            // not fail over it (activation still re-dispatches).
            LogSafetyNetFailed(ServiceProvider.GetRequiredService<ILogger<MemberGrain>>(), e, Id);
        }

        Dispatch(recorded);
    }

    /// <summary>Hands the notices to their senders; the senders ignore a notice they are already delivering.</summary>
    private void Dispatch(IEnumerable<MemberEvent> recorded)
    {
        foreach (var notice in recorded.OfType<NoticeIssued>().Where(Domain.Members.Member.IsOutboxNotice))
        {
            // One-way: the call is queued and completes at once; the sender reports back with RecordNoticeSentAsync.
            _ = GrainFactory.GetGrain<INoticeSenderGrain>(INoticeSenderGrain.KeyOf(Id, notice.NoticeId)).DeliverAsync(notice);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not register the notices reminder of {MemberId}")]
    private static partial void LogSafetyNetFailed(ILogger logger, Exception exception, string memberId);
}
