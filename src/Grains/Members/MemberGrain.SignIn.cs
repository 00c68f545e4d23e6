using System.Buffers.Text;
using System.Security.Cryptography;
using MedSpa.Members;
using MedSpa.Notifications;
using MedSpa.Portal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MedSpa.Grains.Members;

/// <summary>
/// Sign-in links to the member portal. Unlike every other notice this one does not go through the outbox: the outbox
/// resends from what the log stores, and the link's token must never be stored in clear (not in the log, not in grain
/// state, not in a log line). So the token lives only in this method's memory and in the mail: its hash goes to the
/// <see cref="ISignInLinkGrain"/>, the log gets a token-free notice, and the notice's sender grain mails it at once,
/// once. Delivery is recorded like any other notice (<c>notice_sent</c>).
/// </summary>
public sealed partial class MemberGrain
{
    public async Task RequestSignInLinkAsync()
    {
        // Called one-way: an id with no client behind it (a directory entry whose registration never completed) ends here
        // quietly, like any other request nobody gets mail for.
        if (!Member.IsRegistered)
        {
            return;
        }

        var logger = ServiceProvider.GetRequiredService<ILogger<MemberGrain>>();
        var events = Member.RequestSignInLink(ISignInLinkGrain.Validity, Now);
        if (events.Count == 0)
        {
            LogSignInLinksCapped(logger, Id);
            return;
        }

        var notice = (NoticeIssued)events[0];
        SentMail mail;
        try
        {
            var token = NewSignInToken();
            // The link exists before the mail that carries it can: a click can never beat the record.
            await GrainFactory.GetGrain<ISignInLinkGrain>(ISignInLinkGrain.KeyOf(token)).IssueAsync(Id);
            await RecordAsync(events);
            mail = await GrainFactory.GetGrain<INoticeSenderGrain>(INoticeSenderGrain.KeyOf(Id, notice.NoticeId)).SendSignInLinkAsync(notice, token);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Never retried (see Member.IsOutboxNotice): the member asks again. The exception comes from storage or the
            // mail server and cannot hold the token; the token itself is never logged.
            LogSignInLinkNotSent(logger, e, notice.NoticeId, Id);
            return;
        }

        try
        {
            await RecordAsync(Member.RecordNoticeSent(notice.NoticeId, mail.MessageId, mail.To, Now));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The mail is out and works; only its receipt is missing from the history. Said plainly rather than left
            // to a one-way call's unobserved failure.
            LogSignInLinkSentNotRecorded(logger, e, notice.NoticeId, Id);
        }
    }

    /// <summary>256 random bits, base64url: unguessable, and safe in a URL and a mail without escaping.</summary>
    private static string NewSignInToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in link {NoticeId} of {MemberId} was not sent; the member can ask again")]
    private static partial void LogSignInLinkNotSent(ILogger logger, Exception exception, string noticeId, string memberId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in link {NoticeId} of {MemberId} was sent but could not be recorded as sent")]
    private static partial void LogSignInLinkSentNotRecorded(ILogger logger, Exception exception, string noticeId, string memberId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{MemberId} asked for too many sign-in links lately; no mail sent")]
    private static partial void LogSignInLinksCapped(ILogger logger, string memberId);
}
