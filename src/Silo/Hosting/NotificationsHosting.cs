using MedSpa.Grains.Notifications;
using Microsoft.AspNetCore.Builder;

namespace MedSpa.Silo.Hosting;

/// <summary>Notices by email: an SMTP server when <c>Notifications:Smtp:Host</c> is set, the development mailbox otherwise.</summary>
public static class NotificationsHosting
{
    public static WebApplicationBuilder AddMedSpaNotifications(this WebApplicationBuilder builder)
    {
        builder.Services.AddNotifications(builder.Configuration);
        if (!NotificationRegistration.UsesSmtp(builder.Configuration))
        {
            builder.Services.AddHostedService<MailboxModeNotice>();
        }

        return builder;
    }

    private sealed class MailboxModeNotice(ILogger<MailboxModeNotice> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            logger.LogInformation("No Notifications:Smtp:Host: mail goes to the development mailbox at /mailbox");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
