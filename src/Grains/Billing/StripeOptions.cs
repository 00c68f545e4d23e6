namespace MedSpa.Grains.Billing;

/// <summary>Configuration section <c>Stripe</c>.</summary>
public sealed class StripeOptions
{
    public const string Section = "Stripe";

    /// <summary><c>sk_test_…</c> or <c>sk_live_…</c>. Without one the host runs the StripeEmulator on loopback.</summary>
    public string? SecretKey { get; set; }

    /// <summary>Where the API lives; null is Stripe itself. Points at the emulator in development and tests.</summary>
    public Uri? ApiBase { get; set; }

    /// <summary>
    /// Calls per second the whole cluster allows itself (each silo takes its share; see <see cref="StripeThrottle"/>).
    /// Stripe allows 100 live and 25 in test mode per account; the default leaves room for the dashboard.
    /// </summary>
    public int RatePerSecond { get; set; } = 20;

    /// <summary>The <c>whsec_…</c> secret webhook signatures are checked against.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>How long one Stripe call may take before its outcome is treated as unknown.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
