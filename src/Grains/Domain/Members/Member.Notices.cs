using System.Collections.Immutable;
using MedSpa.Members;

namespace MedSpa.Domain.Members;

/// <summary>
/// Delivery of notices. Issuing a notice is part of the decision that needs it (a decline, a price increase); sending it
/// is separate and may happen later or more than once, so the member only records which notices were delivered.
/// </summary>
public sealed partial record Member
{
    /// <summary>Ids of the notices a mail server (or the development mailbox) accepted.</summary>
    public ImmutableHashSet<string> SentNotices { get; init; } = ImmutableHashSet.Create<string>(StringComparer.Ordinal);

    /// <summary>Notices not delivered yet, oldest first: what the outbox still owes.</summary>
    public IEnumerable<NoticeIssued> UnsentNotices => Notices.Where(n => IsOutboxNotice(n) && !SentNotices.Contains(n.NoticeId));

    /// <summary>
    /// Whether the outbox delivers (and redelivers) this notice. Never a sign-in link: the outbox resends from the stored
    /// summary, and a sign-in mail's link (its token) is deliberately not stored anywhere, so a resend would be a sign-in
    /// mail with no way to sign in, and the link would have expired by the retry anyway. The member grain sends it once,
    /// at once; one that failed is simply asked for again.
    /// </summary>
    public static bool IsOutboxNotice(NoticeIssued notice) => notice.Kind != NoticeKind.MagicLink;

    public NoticeIssued? UnsentNotice(string noticeId) => UnsentNotices.FirstOrDefault(n => n.NoticeId == noticeId);

    /// <summary>
    /// Records that a notice was delivered. Delivering it again (a resend after a crash, a duplicate dispatch) records
    /// nothing: the first delivery is the one the history keeps. 404 <c>notice_not_found</c> for a notice never issued.
    /// </summary>
    public IReadOnlyList<MemberEvent> RecordNoticeSent(string noticeId, string messageId, string to, DateTimeOffset now)
    {
        RequireProfile();
        if (!Notices.Exists(n => n.NoticeId == noticeId))
        {
            throw Reject.NotFound("notice_not_found", $"No notice \"{noticeId}\" was issued to this member.");
        }

        return SentNotices.Contains(noticeId) ? [] : [new NoticeSent(noticeId, messageId, to) { OccurredAt = now }];
    }

    private Member ApplyNoticeSent(NoticeSent sent) => this with { SentNotices = SentNotices.Add(sent.NoticeId) };
}
