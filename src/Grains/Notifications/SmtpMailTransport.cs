using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;

namespace MedSpa.Grains.Notifications;

/// <summary>Sends through the configured SMTP server with MailKit: one connection per message (notices are rare).</summary>
public sealed class SmtpMailTransport(IOptions<NotificationOptions> options, TimeProvider clock) : IMailTransport
{
    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        var smtp = options.Value.Smtp;
        using var message = Compose(mail, clock.GetUtcNow());
        using var client = new SmtpClient { Timeout = (int)smtp.Timeout.TotalMilliseconds };
        await client.ConnectAsync(smtp.Host ?? throw new InvalidOperationException("Notifications:Smtp:Host is not set."), smtp.Port, smtp.Security, cancellationToken);
        if (!string.IsNullOrEmpty(smtp.Username))
        {
            await client.AuthenticateAsync(smtp.Username, smtp.Password ?? "", cancellationToken);
        }

        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(true, cancellationToken);
    }

    public static MimeMessage Compose(OutgoingMail mail, DateTimeOffset now)
    {
        var message = new MimeMessage
        {
            MessageId = mail.MessageId,
            Subject = mail.Subject,
            Date = now,
            Body = new BodyBuilder { TextBody = mail.Text, HtmlBody = mail.Html }.ToMessageBody(),
        };
        message.From.Add(MailboxAddress.Parse(mail.From));
        message.To.Add(MailboxAddress.Parse(mail.To));
        // Lets a mail log or a support desk tie a message back to the member's history.
        message.Headers.Add("X-MedSpa-Notice", $"{mail.MemberId} {mail.NoticeId}");
        return message;
    }
}
