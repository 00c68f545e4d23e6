namespace MedSpa.StripeEmulator;

public enum CardBehaviour
{
    Succeeds,
    Declines,
    RequiresAuthentication,
}

/// <summary>A card the emulator knows how to answer for: one of Stripe's test payment method ids.</summary>
public sealed record TestCard(string Token, string Brand, string Last4, CardBehaviour Behaviour, string? DeclineCode = null)
{
    private static readonly Dictionary<string, TestCard> ByToken = new[]
    {
        new TestCard("pm_card_visa", "visa", "4242", CardBehaviour.Succeeds),
        new TestCard("pm_card_mastercard", "mastercard", "4444", CardBehaviour.Succeeds),
        new TestCard("pm_card_chargeCustomerFail", "visa", "0341", CardBehaviour.Declines, "generic_decline"),
        new TestCard("pm_card_authenticationRequired", "visa", "3184", CardBehaviour.RequiresAuthentication),
        new TestCard("pm_card_visa_chargeDeclinedInsufficientFunds", "visa", "9995", CardBehaviour.Declines, "insufficient_funds"),
        new TestCard("pm_card_visa_chargeDeclinedLostCard", "visa", "9987", CardBehaviour.Declines, "lost_card"),
        new TestCard("pm_card_visa_chargeDeclinedStolenCard", "visa", "9979", CardBehaviour.Declines, "stolen_card"),
        new TestCard("pm_card_visa_chargeDeclinedFraudulent", "visa", "0019", CardBehaviour.Declines, "fraudulent"),
    }.ToDictionary(c => c.Token, StringComparer.Ordinal);

    public static TestCard? Find(string token) => ByToken.GetValueOrDefault(token);

    public static IEnumerable<string> Tokens => ByToken.Keys;

    public string DeclineMessage => DeclineCode switch
    {
        "insufficient_funds" => "Your card has insufficient funds.",
        "lost_card" or "stolen_card" or "fraudulent" => "Your card was declined.",
        _ => "Your card was declined.",
    };
}
