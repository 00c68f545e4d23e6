namespace MedSpa.Domain.Portal;

/// <summary>
/// An issued sign-in link as the practice remembers it: whose it is and until when, never its token. Redeeming is the
/// one decision: a link signs its member in once, before it expires, and every other case is the same refusal.
/// </summary>
public sealed record SignInLink(string MemberId, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, DateTimeOffset? UsedAt = null)
{
    public static SignInLink Issue(string memberId, DateTimeOffset now, TimeSpan validity)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(memberId);
        return validity > TimeSpan.Zero
            ? new SignInLink(memberId, now, now + validity)
            : throw new ArgumentOutOfRangeException(nameof(validity), validity, "A sign-in link must be valid for some time.");
    }

    /// <summary>Unused and not expired: the expiry instant itself is already too late.</summary>
    public bool IsRedeemable(DateTimeOffset now) => UsedAt is null && now < ExpiresAt;

    /// <summary>The link used at <paramref name="now"/>, or null when it cannot sign anyone in any more.</summary>
    public SignInLink? Redeem(DateTimeOffset now) => IsRedeemable(now) ? this with { UsedAt = now } : null;
}
