using MedSpa.Members;
using Orleans.Concurrency;

namespace MedSpa.Notifications;

/// <summary>
/// The development mailbox: with no SMTP server configured, every message the app sends is kept here (the newest hundred)
/// for staff to read at <c>/mailbox</c>. One per deployment.
/// </summary>
public interface IMailboxGrain : IGrainWithStringKey
{
    const string Key = "practice";

    /// <summary>Keeps the message; a message with the same Message-Id replaces the earlier copy (a resend).</summary>
    Task DepositAsync(MailboxMessage message);

    /// <summary>The newest messages first.</summary>
    [ReadOnly]
    Task<MailboxMessage[]> ListAsync(int limit);
}

[GenerateSerializer, Immutable]
public sealed record MailboxMessage(
    [property: Id(0)] string MessageId,
    [property: Id(1)] string From,
    [property: Id(2)] string To,
    [property: Id(3)] string Subject,
    [property: Id(4)] string Text,
    [property: Id(5)] string Html,
    [property: Id(6)] DateTimeOffset SentAt,
    [property: Id(7)] string? MemberId = null,
    [property: Id(8)] string? NoticeId = null,
    [property: Id(9)] NoticeKind? Kind = null);
