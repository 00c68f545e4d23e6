using Microsoft.Extensions.Configuration;

namespace MedSpa.Web.Billing;

/// <summary>
/// What Stripe.js does in the browser when a card is typed in, done against the Stripe emulator with one of Stripe's
/// test cards instead. Stripe.js cannot load offline, so with no <c>Stripe:SecretKey</c> (the emulator) a test-card
/// picker stands in for it; with a real key there is nothing here, and card entry needs Stripe.js.
/// </summary>
public sealed class TestCardSetup
{
    /// <summary>The emulator's test cards, as Stripe names them, with what each does when charged.</summary>
    public static IReadOnlyList<(string PaymentMethodId, string Description)> Cards { get; } =
    [
        ("pm_card_visa", "Visa 4242: succeeds"),
        ("pm_card_mastercard", "Mastercard 4444: succeeds"),
        ("pm_card_chargeCustomerFail", "Visa 0341: saved, then declined when charged"),
        ("pm_card_authenticationRequired", "Visa 3184: needs authentication when charged"),
        ("pm_card_visa_chargeDeclinedInsufficientFunds", "Visa 9995: declined, insufficient funds"),
        ("pm_card_visa_chargeDeclinedLostCard", "Visa 9987: declined, lost card"),
        ("pm_card_visa_chargeDeclinedStolenCard", "Visa 9979: declined, stolen card"),
    ];

    // The silo's embedded emulator listens here unless Stripe:EmulatorUrl says otherwise (src/Silo/Hosting/PaymentsHosting.cs).
    private const string DefaultEmulatorUrl = "http://127.0.0.1:12111";

    // The emulator takes any sk_test_ key; this one plays the browser's part, never the practice's account.
    private const string BrowserKey = "sk_test_browser";

    // One client for the process: the emulator is on loopback, so there is no DNS to go stale.
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private readonly Uri _emulator;

    private TestCardSetup(Uri emulator) => _emulator = emulator;

    /// <summary>The stand-in, or null when the practice uses real Stripe (a <c>Stripe:SecretKey</c>).</summary>
    public static TestCardSetup? For(IConfiguration configuration) =>
        string.IsNullOrEmpty(configuration["Stripe:SecretKey"])
            ? new TestCardSetup(new Uri(configuration["Stripe:EmulatorUrl"] ?? DefaultEmulatorUrl))
            : null;

    /// <summary>Confirms the SetupIntent with the chosen test card, as Stripe.js would. 400 <c>unknown_test_card</c>.</summary>
    public async Task ConfirmAsync(string setupIntentId, string paymentMethodId, CancellationToken cancellationToken = default)
    {
        if (!Cards.Any(c => c.PaymentMethodId == paymentMethodId))
        {
            throw new CommandRejectedException(RejectionKind.Invalid, "unknown_test_card", "Pick one of the listed test cards.");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_emulator, $"/v1/setup_intents/{Uri.EscapeDataString(setupIntentId)}/confirm"))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["payment_method"] = paymentMethodId }),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", BrowserKey);
        using var response = await Http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new CommandRejectedException(RejectionKind.Unavailable, "card_setup_failed",
                $"The card could not be confirmed ({(int)response.StatusCode}); nothing was saved. Try again.");
        }
    }
}
