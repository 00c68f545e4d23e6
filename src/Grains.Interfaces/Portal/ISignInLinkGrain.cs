using System.Security.Cryptography;
using System.Text;

namespace MedSpa.Portal;

/// <summary>
/// One emailed sign-in link to the member portal, keyed by <see cref="KeyOf"/> (a hash of its token): the token itself
/// exists only in the mail and in the member's hands, so neither this grain's storage nor anything it is asked reveals
/// it. Valid for <see cref="Validity"/> from issue, and once.
/// </summary>
public interface ISignInLinkGrain : IGrainWithStringKey
{
    /// <summary>Long enough to open a mail on a phone, short enough that a forwarded or leaked link is soon useless.</summary>
    static readonly TimeSpan Validity = TimeSpan.FromMinutes(15);

    /// <summary>
    /// The grain key of a token: SHA-256 of the token's text, in hex, behind a prefix (an all-hex key would be read as an
    /// integer key). The issuing member grain and the redeeming web node must agree on it, so it lives with the contract.
    /// A token is 256 random bits, so an unsalted fast hash is enough: there is nothing to guess by brute force.
    /// </summary>
    static string KeyOf(string token) =>
        $"signin_{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))}";

    /// <summary>
    /// Whether <paramref name="token"/> has the shape of an issued token (32 bytes in base64url, no padding), so that a
    /// mangled or made-up one is refused without activating a grain for it.
    /// </summary>
    static bool IsWellFormed(string? token) =>
        token is { Length: 43 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>
    /// Records the link for <paramref name="memberId"/>, valid from now; returns when it expires. Issuing the same key
    /// again for the same member is a no-op (a retried call); for another member it is refused, since that can only
    /// mean a token was reused.
    /// </summary>
    Task<DateTimeOffset> IssueAsync(string memberId);

    /// <summary>
    /// Uses the link: the member it signs in, or null when it is unknown, expired or already used. The caller cannot
    /// tell those apart, on purpose: each gets the same answer.
    /// </summary>
    Task<string?> RedeemAsync();

    /// <summary>Whether the link would sign someone in now, without using it (to show the confirmation page or not).</summary>
    [Orleans.Concurrency.ReadOnly]
    Task<bool> IsRedeemableAsync();
}
