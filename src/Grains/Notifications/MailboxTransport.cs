using MedSpa.Notifications;

namespace MedSpa.Grains.Notifications;

/// <summary>Development: with no SMTP server, a message is "sent" by keeping it in the practice's mailbox grain.</summary>
public sealed class MailboxTransport(IGrainFactory grains, TimeProvider clock) : IMailTransport
{
    public Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken) =>
        grains.GetGrain<IMailboxGrain>(IMailboxGrain.Key).DepositAsync(new MailboxMessage(
            mail.MessageId, mail.From, mail.To, mail.Subject, mail.Text, mail.Html, clock.GetUtcNow(), mail.MemberId, mail.NoticeId, mail.Kind));
}
