using MedSpa.Domain.Portal;
using MedSpa.Portal;

namespace MedSpa.Domain.Tests.Portal;

/// <summary>A sign-in link works once, before it expires; its key is a hash that does not give the token away.</summary>
public sealed class SignInLinkTests
{
    private static readonly DateTimeOffset At = new(2027, 3, 1, 14, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_link_signs_its_member_in_once()
    {
        var link = SignInLink.Issue("mem_1", At, ISignInLinkGrain.Validity);
        Assert.Equal(At.AddMinutes(15), link.ExpiresAt);

        var used = link.Redeem(At.AddMinutes(1));
        Assert.NotNull(used);
        Assert.Equal(("mem_1", At.AddMinutes(1)), (used.MemberId, used.UsedAt));

        Assert.False(used.IsRedeemable(At.AddMinutes(2)));
        Assert.Null(used.Redeem(At.AddMinutes(2)));
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(14 * 60 + 59, true)]
    [InlineData(15 * 60, false)]
    [InlineData(16 * 60, false)]
    public void A_link_expires_fifteen_minutes_after_it_was_issued(int secondsLater, bool works)
    {
        var link = SignInLink.Issue("mem_1", At, ISignInLinkGrain.Validity);

        Assert.Equal(works, link.IsRedeemable(At.AddSeconds(secondsLater)));
        Assert.Equal(works, link.Redeem(At.AddSeconds(secondsLater)) is not null);
    }

    [Fact]
    public void The_key_is_the_sha256_of_the_token_behind_a_prefix_and_never_the_token()
    {
        const string token = "q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c";

        var key = ISignInLinkGrain.KeyOf(token);

        // echo -n q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c | sha256sum
        Assert.Equal("signin_d90d5f1b0c8deb8741ce654573480770a68d5acf6603cc132cb3e1e4740a59f3", key);
        Assert.DoesNotContain(token, key, StringComparison.Ordinal);
        Assert.Equal(key, ISignInLinkGrain.KeyOf(token));
        Assert.NotEqual(key, ISignInLinkGrain.KeyOf(token[..^1] + "d"));
        // Not all hex: Orleans would read an all-hex string key as an integer.
        Assert.False(key.All(Uri.IsHexDigit));
    }

    [Theory]
    [InlineData("q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c", true)]
    [InlineData("Q-_2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c", true)]
    [InlineData("q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1", false)]
    [InlineData("q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c=", false)]
    [InlineData("q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x+c", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Only_tokens_shaped_like_32_bytes_of_base64url_are_looked_up(string? token, bool wellFormed) =>
        Assert.Equal(wellFormed, ISignInLinkGrain.IsWellFormed(token));

    [Fact]
    public void A_link_needs_a_member_and_a_validity()
    {
        Assert.ThrowsAny<ArgumentException>(() => SignInLink.Issue(" ", At, ISignInLinkGrain.Validity));
        Assert.Throws<ArgumentOutOfRangeException>(() => SignInLink.Issue("mem_1", At, TimeSpan.Zero));
    }
}
