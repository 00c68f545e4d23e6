using MedSpa.Members;

namespace MedSpa.Grains.Notifications;

/// <summary>
/// A rendered message ready to go. <see cref="MessageId"/> (without angle brackets) is derived from the member and the
/// notice, so every attempt at the same notice carries the same Message-Id.
/// </summary>
public sealed record OutgoingMail(
    string MessageId, string From, string To, string Subject, string Text, string Html, string MemberId, string NoticeId, NoticeKind Kind);

/// <summary>Where mail goes: an SMTP server, or the development mailbox. Throws when the message was not accepted.</summary>
public interface IMailTransport
{
    Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken);
}
