using MedSpa.Grains.Notifications;
using Microsoft.AspNetCore.Builder;

namespace MedSpa.Silo.Hosting;

/// <summary>Notices by email: an SMTP server when <c>Notifications:Smtp:Host</c> is set, the development mailbox if asked for, nowhere otherwise.</summary>
public static partial class NotificationsHosting
{
    public static WebApplicationBuilder AddMedSpaNotifications(this WebApplicationBuilder builder)
    {
        builder.Services.AddNotifications(builder.Configuration);
        if (!string.IsNullOrWhiteSpace(builder.Configuration["Notifications:PortalUrl"]))
        {
            // Ignoring it would mail links to the old address without a word.
            throw new InvalidOperationException(
                $"Notifications:PortalUrl is replaced by {ServerPublicAddress.Setting}: the site's root, without /portal; links into the portal are made under it.");
        }

        // A bad address stops the start rather than the first mail.
        ServerPublicAddress.Configured(builder.Configuration);
        builder.Services.AddSingleton<IPublicAddress, ServerPublicAddress>();
        builder.Services.AddHostedService<PublicAddressNotice>();
        if (!NotificationRegistration.UsesSmtp(builder.Configuration))
        {
            builder.Services.AddHostedService(provider => new MailboxModeNotice(
                NotificationRegistration.UsesDevelopmentMailbox(builder.Configuration), provider.GetRequiredService<ILogger<MailboxModeNotice>>()));
        }

        return builder;
    }

    /// <summary>Says once started where links in mail lead, so a wrong address is seen before members follow one.</summary>
    private sealed partial class PublicAddressNotice(IPublicAddress site, IHostApplicationLifetime lifetime, ILogger<PublicAddressNotice> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            lifetime.ApplicationStarted.Register(() => _ = LogAsync());
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        private async Task LogAsync()
        {
            try
            {
                LogSite(logger, await site.GetAsync(lifetime.ApplicationStopping));
            }
            catch (Exception e) when (e is InvalidOperationException or OperationCanceledException or TimeoutException)
            {
                LogNoSite(logger, e);
            }
        }

        [LoggerMessage(Level = LogLevel.Information, Message = "Links in mail lead to {Site}")]
        private static partial void LogSite(ILogger logger, Uri site);

        [LoggerMessage(Level = LogLevel.Warning, Message = "No address for links in mail")]
        private static partial void LogNoSite(ILogger logger, Exception exception);
    }

    private sealed class MailboxModeNotice(bool developmentMailbox, ILogger<MailboxModeNotice> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (developmentMailbox)
            {
                logger.LogWarning("No Notifications:Smtp:Host: mail goes to the development mailbox at /mailbox (administrators only); not for a real practice");
            }
            else
            {
                logger.LogWarning("No Notifications:Smtp:Host and no development mailbox: mail is NOT delivered; notices wait until a mail server is configured");
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
