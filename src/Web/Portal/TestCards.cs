using System.Net.Http.Headers;
using Microsoft.Extensions.Configuration;

namespace MedSpa.Web.Portal;

/// <summary>
/// Stands in for Stripe.js when payments go to the Stripe emulator (no <c>Stripe:SecretKey</c>): Stripe.js cannot load
/// offline, so the member picks one of Stripe's test cards and the SetupIntent is confirmed with it at the emulator,
/// exactly the call Stripe.js makes from the browser. With a real key there is no picker: card entry needs Stripe.js.
/// </summary>
public sealed class TestCards(HttpClient http, IConfiguration configuration)
{
    /// <summary>Where the silo starts the emulator when <c>Stripe:EmulatorUrl</c> is not set (see PaymentsHosting).</summary>
    private const string DefaultEmulatorUrl = "http://127.0.0.1:12111";

    /// <summary>The emulator takes any test-mode key; this is the one the silo uses.</summary>
    private const string EmulatorKey = "sk_test_emulator";

    public static IReadOnlyList<(string PaymentMethodId, string Label)> Choices { get; } =
    [
        ("pm_card_visa", "Visa ending 4242 (pays)"),
        ("pm_card_mastercard", "Mastercard ending 4444 (pays)"),
        ("pm_card_chargeCustomerFail", "Visa ending 0341 (declines)"),
        ("pm_card_visa_chargeDeclinedInsufficientFunds", "Visa ending 9995 (insufficient funds)"),
        ("pm_card_authenticationRequired", "Visa ending 3184 (asks the bank to confirm)"),
    ];

    public bool Available => string.IsNullOrEmpty(configuration["Stripe:SecretKey"]);

    /// <summary>Confirms the SetupIntent with the chosen test card, as Stripe.js would with the card typed in.</summary>
    public async Task ConfirmAsync(string setupIntentId, string paymentMethodId, CancellationToken cancellationToken = default)
    {
        if (!Available || !Choices.Any(c => c.PaymentMethodId == paymentMethodId))
        {
            throw new CommandRejectedException(RejectionKind.Invalid, "invalid_test_card", "Choose one of the test cards listed.");
        }

        var emulator = new Uri((configuration["Stripe:EmulatorUrl"] ?? DefaultEmulatorUrl).TrimEnd('/') + "/");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(emulator, $"v1/setup_intents/{Uri.EscapeDataString(setupIntentId)}/confirm"))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["payment_method"] = paymentMethodId }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", EmulatorKey);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new CommandRejectedException(RejectionKind.Unavailable, "card_setup_failed", "The card could not be saved just now. Try again in a moment.");
        }
    }
}
