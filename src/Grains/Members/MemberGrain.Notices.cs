using MedSpa.Members;
using MedSpa.Notifications;

namespace MedSpa.Grains.Members;

/// <summary>
/// The member's side of the notification outbox. A notice is recorded with the decision that needs it; delivery is
/// handed to a <see cref="INoticeSenderGrain"/> with a one-way call, so a slow or absent mail server never delays a
/// charge, and the member only learns of a delivery when the sender reports it. The log is the outbox: anything issued
/// and not reported sent is handed over again when the grain activates, so a crash before delivery loses nothing.
/// </summary>
public sealed partial class MemberGrain
{
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
        Dispatch(Member.UnsentNotices);
    }

    public async Task RecordNoticeSentAsync(string noticeId, string messageId, string recipient) =>
        await RecordAsync(Member.RecordNoticeSent(noticeId, messageId, recipient, Now));

    public Task<NoticeIssued?> GetUnsentNoticeAsync(string noticeId) => Task.FromResult(Member.UnsentNotice(noticeId));

    /// <summary>Hands the notices to their senders; the senders ignore a notice they are already delivering.</summary>
    private void Dispatch(IEnumerable<MemberEvent> recorded)
    {
        foreach (var notice in recorded.OfType<NoticeIssued>())
        {
            // One-way: the call is queued and completes at once; the sender reports back with RecordNoticeSentAsync.
            _ = GrainFactory.GetGrain<INoticeSenderGrain>(INoticeSenderGrain.KeyOf(Id, notice.NoticeId)).DeliverAsync(notice);
        }
    }
}
