using MedSpa.Members;
using Orleans.Concurrency;

namespace MedSpa.Notifications;

/// <summary>
/// Delivers one notice (key <see cref="KeyOf"/>: the member and the notice, since a notice id is only unique within
/// its member) and reports it sent to the member grain. Retries with a back-off, on a reminder, until it is delivered.
/// </summary>
public interface INoticeSenderGrain : IGrainWithStringKey
{
    static string KeyOf(string memberId, string noticeId) => $"{memberId}/{noticeId}";

    /// <summary>
    /// Sends the notice unless it is already being sent or was sent. One-way: the member grain (and so billing) never
    /// waits for a mail server.
    /// </summary>
    [OneWay]
    Task DeliverAsync(NoticeIssued notice);

    /// <summary>
    /// Sends a sign-in link once, now, and says what went out; never retried (the link is short-lived and its token is
    /// not stored anywhere a retry could find it). The token crosses this call only in memory. Throws when the mail
    /// server does not take it.
    /// </summary>
    Task<SentMail> SendSignInLinkAsync(NoticeIssued notice, string token);
}

/// <summary>What a mail server accepted: the Message-Id (without angle brackets) and the address.</summary>
[GenerateSerializer, Immutable]
public sealed record SentMail([property: Id(0)] string MessageId, [property: Id(1)] string To);
