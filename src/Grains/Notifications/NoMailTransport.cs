namespace MedSpa.Grains.Notifications;

/// <summary>
/// Neither a mail server nor the development mailbox: nothing is delivered. The send fails rather than pretend, so a
/// notice is not recorded as sent; its sender retries, and the mail goes out once a server is configured.
/// </summary>
public sealed class NoMailTransport : IMailTransport
{
    public Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken) =>
        throw new InvalidOperationException(
            "Mail is not delivered: there is no Notifications:Smtp:Host, and the development mailbox (Notifications:DevelopmentMailbox) is off.");
}
