using MedSpa.Members;
using MedSpa.Notifications;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MedSpa.Grains.Notifications;

/// <summary>
/// Delivers one member's notice: renders it, hands it to the mail transport, and reports it sent to the member grain.
/// A failure (server down, refused, timed out) is retried on a reminder with a doubling back-off, so it survives this
/// silo going away; after a restart the reminder finds the notice again in the member's log. Nothing here can touch
/// billing: the member grain handed the notice over one-way and only ever hears back "sent".
/// </summary>
public sealed partial class NoticeSenderGrain(
    IMailTransport transport, IPublicAddress site, IOptions<NotificationOptions> options, ILogger<NoticeSenderGrain> logger)
    : Grain, INoticeSenderGrain, IRemindable
{
    private const string RetryReminder = "notice-retry";

    private NoticeIssued? _notice;
    private int _failures;
    private bool _accepted;
    private bool _recorded;

    private string MemberId => this.GetPrimaryKeyString().Split('/', 2)[0];

    private string NoticeId => this.GetPrimaryKeyString().Split('/', 2)[1];

    private IMemberGrain Member => GrainFactory.GetGrain<IMemberGrain>(MemberId);

    public async Task DeliverAsync(NoticeIssued notice)
    {
        // A notice already in hand is being retried on its own schedule: a second dispatch (the member grain
        // re-activating) must not make a second attempt, or a second mail.
        if (_notice is not null || _recorded)
        {
            return;
        }

        _notice = notice;
        await AttemptAsync();
    }

    public async Task<SentMail> SendSignInLinkAsync(NoticeIssued notice, string token)
    {
        ArgumentNullException.ThrowIfNull(notice);
        OutgoingMail mail;
        try
        {
            mail = NoticeTemplates.RenderSignInLink(MemberId, notice, options.Value, await site.GetAsync(), token);
            await transport.SendAsync(mail, CancellationToken.None);
        }
        finally
        {
            DeactivateOnIdle();
        }

        return new SentMail(mail.MessageId, mail.To);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (_recorded)
        {
            await StopRetryingAsync();
            return;
        }

        // After a restart only the member's log knows the notice; it says null once the notice was reported sent.
        _notice ??= await Member.GetUnsentNoticeAsync(NoticeId);
        if (_notice is null)
        {
            _recorded = true;
            await StopRetryingAsync();
            return;
        }

        await AttemptAsync();
    }

    private async Task AttemptAsync()
    {
        try
        {
            // Inside the try: a site address not known yet (the web server still starting) is retried like a send.
            var mail = NoticeTemplates.Render(MemberId, _notice!, options.Value, await site.GetAsync());
            if (!_accepted)
            {
                await transport.SendAsync(mail, CancellationToken.None);
                _accepted = true;
            }

            // Accepted but not yet recorded is retried without sending again.
            await Member.RecordNoticeSentAsync(mail.NoticeId, mail.MessageId, mail.To);
        }
        catch (CommandRejectedException e) when (e.Kind is RejectionKind.NotFound or RejectionKind.Damaged)
        {
            // The member has no such notice (or no longer exists), or their log cannot be read: retrying cannot change
            // that. A log repaired later hands its unsent notices over again when the member next activates.
            LogAbandoned(logger, e, NoticeId, MemberId);
            _recorded = true;
            await StopRetryingAsync();
            return;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _failures++;
            var wait = options.Value.RetryAfter(_failures);
            LogRetry(logger, e, NoticeId, MemberId, _failures, wait);
            await this.RegisterOrUpdateReminder(RetryReminder, wait, Period);
            return;
        }

        _recorded = true;
        if (_failures > 0)
        {
            await StopRetryingAsync();
        }

        DeactivateOnIdle();
    }

    /// <summary>The reminder's period is only a safety net behind each attempt's own due time.</summary>
    private TimeSpan Period => options.Value.LongestRetry;

    private async Task StopRetryingAsync()
    {
        if (await this.GetReminder(RetryReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        DeactivateOnIdle();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notice {NoticeId} of {MemberId} was not sent (attempt {Failures}); retrying in {Wait}")]
    private static partial void LogRetry(ILogger logger, Exception exception, string noticeId, string memberId, int failures, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notice {NoticeId} of {MemberId} cannot be recorded as sent; giving up")]
    private static partial void LogAbandoned(ILogger logger, Exception exception, string noticeId, string memberId);
}
