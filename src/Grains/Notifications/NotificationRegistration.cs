using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MedSpa.Grains.Notifications;

public static class NotificationRegistration
{
    /// <summary>
    /// Notices go to the SMTP server in <c>Notifications:Smtp:Host</c>; with none they go to the development mailbox
    /// (<c>/mailbox</c>), so a fresh checkout shows its mail without a mail server.
    /// </summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(NotificationOptions.Section);
        services.AddOptions<NotificationOptions>().Bind(section)
            .Validate(o => o.FirstRetry > TimeSpan.Zero && o.LongestRetry >= o.FirstRetry, "Notifications: FirstRetry must be positive and no longer than LongestRetry.")
            .ValidateOnStart();
        if (string.IsNullOrWhiteSpace(section["Smtp:Host"]))
        {
            services.AddSingleton<IMailTransport, MailboxTransport>();
        }
        else
        {
            services.AddSingleton<IMailTransport, SmtpMailTransport>();
        }

        return services;
    }

    public static bool UsesSmtp(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration.GetSection(NotificationOptions.Section)["Smtp:Host"]);
}
