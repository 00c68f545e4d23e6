using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MedSpa.Grains.Notifications;

public static class NotificationRegistration
{
    /// <summary>
    /// Notices go to the SMTP server in <c>Notifications:Smtp:Host</c>; with none, to the development mailbox
    /// (<c>/mailbox</c>) when <c>Notifications:DevelopmentMailbox</c> is on (as <c>./run.sh</c> sets it, so a fresh
    /// checkout shows its mail without a mail server), and nowhere otherwise: sending fails and is retried.
    /// </summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(NotificationOptions.Section);
        services.AddOptions<NotificationOptions>().Bind(section)
            .Validate(o => o.FirstRetry > TimeSpan.Zero && o.LongestRetry >= o.FirstRetry, "Notifications: FirstRetry must be positive and no longer than LongestRetry.")
            .ValidateOnStart();
        if (UsesSmtp(configuration))
        {
            services.AddSingleton<IMailTransport, SmtpMailTransport>();
        }
        else if (UsesDevelopmentMailbox(configuration))
        {
            services.AddSingleton<IMailTransport, MailboxTransport>();
        }
        else
        {
            services.AddSingleton<IMailTransport, NoMailTransport>();
        }

        return services;
    }

    /// <summary>Whether mail is kept in the development mailbox: asked for, and no SMTP server to send it to.</summary>
    public static bool UsesDevelopmentMailbox(IConfiguration configuration) =>
        !UsesSmtp(configuration) && configuration.GetSection(NotificationOptions.Section).GetValue<bool>(nameof(NotificationOptions.DevelopmentMailbox));

    public static bool UsesSmtp(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration.GetSection(NotificationOptions.Section)["Smtp:Host"]);
}
