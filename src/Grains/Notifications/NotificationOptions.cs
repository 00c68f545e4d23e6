using MailKit.Security;

namespace MedSpa.Grains.Notifications;

/// <summary>Configuration section <c>Notifications</c>: who mail comes from, the practice's branding, and the mail server.</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>The sender, e.g. <c>Glow Med Spa &lt;hello@glow.example&gt;</c>.</summary>
    public string From { get; set; } = "MedSpa <no-reply@medspa.localhost>";

    /// <summary>Named in every subject and signature: members know the practice, not the software.</summary>
    public string PracticeName { get; set; } = "MedSpa";

    /// <summary>The practice's colour for headings and buttons in HTML mail.</summary>
    public string BrandColor { get; set; } = "#6b3fa0";

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>
    /// With no SMTP server, keep mail in the development mailbox (<c>/mailbox</c>, administrators only) instead. Off
    /// unless a deployment asks (<c>./run.sh</c> does): the mailbox holds every member's mail. With neither, mail is not
    /// delivered anywhere; notices wait and are retried until a mail server is configured.
    /// </summary>
    public bool DevelopmentMailbox { get; set; }

    /// <summary>The wait after a first failed send; it doubles with each failure up to <see cref="LongestRetry"/>.</summary>
    public TimeSpan FirstRetry { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between two attempts (and the retry reminder's period, so at least a minute in production).</summary>
    public TimeSpan LongestRetry { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The wait before attempt <paramref name="failures"/> + 1.</summary>
    public TimeSpan RetryAfter(int failures) =>
        TimeSpan.FromTicks(Math.Min(LongestRetry.Ticks, FirstRetry.Ticks * (1L << Math.Clamp(failures - 1, 0, 20))));
}

/// <summary><c>Notifications:Smtp</c>. With no <see cref="Host"/>, mail goes to the development mailbox if it is on (<see cref="NotificationOptions.DevelopmentMailbox"/>), nowhere otherwise.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 25;

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary><c>Auto</c> (TLS on 465, STARTTLS when offered), <c>None</c>, <c>StartTls</c> or <c>SslOnConnect</c>.</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.Auto;

    /// <summary>How long one send may take: a retry is cheaper than a sender stuck on a dead server.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);
}
