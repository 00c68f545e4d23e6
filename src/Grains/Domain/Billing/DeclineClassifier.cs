namespace MedSpa.Domain.Billing;

/// <summary>What a failed charge allows billing to do next.</summary>
public enum DeclineKind
{
    /// <summary>May pass later (insufficient funds, a generic decline, a processor hiccup): retry on the schedule.</summary>
    Soft,

    /// <summary>The card is gone or the bank said never again: retrying would only look like card testing.</summary>
    Hard,

    /// <summary>The bank wants the cardholder present (3-D Secure): only the member can finish it, in the portal.</summary>
    AuthenticationRequired,
}

/// <summary>
/// Sorts the processor's decline and error codes. Unknown codes are soft on purpose: a new code Stripe invents should
/// cost a member a retry, not their membership.
/// </summary>
public static class DeclineClassifier
{
    private static readonly HashSet<string> HardCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "lost_card",
        "stolen_card",
        "pickup_card",
        "fraudulent",
        "incorrect_number",
        "revocation_of_authorization",
        "revocation_of_all_authorizations",
        // Stripe sends this both as a decline code and as network advice.
        "do_not_try_again",
    };

    /// <summary>
    /// Classifies a failure from the processor's decline or error code and, when given, the network's advice code
    /// (<c>do_not_try_again</c> forbids retrying whatever the decline code said).
    /// </summary>
    public static DeclineKind Classify(string? code, string? adviceCode = null)
    {
        if (IsHard(code) || IsHard(adviceCode))
        {
            return DeclineKind.Hard;
        }

        return string.Equals(code?.Trim(), "authentication_required", StringComparison.OrdinalIgnoreCase)
            ? DeclineKind.AuthenticationRequired
            : DeclineKind.Soft;
    }

    private static bool IsHard(string? code) => code is not null && HardCodes.Contains(code.Trim());
}
