namespace MedSpa.Grains.Notifications;

/// <summary>
/// Where people reach this product from outside: every link it writes (a sign-in link, "update your card", "review and
/// confirm" in mail) starts here, so links lead to wherever the product is actually served.
/// </summary>
public interface IPublicAddress
{
    /// <summary>
    /// The site's root, ending in '/', such as <c>https://glow.example/</c>. Derived from where the web server listens
    /// when not configured, in which case this waits for the server to be listening.
    /// </summary>
    Task<Uri> GetAsync(CancellationToken cancellationToken = default);
}
