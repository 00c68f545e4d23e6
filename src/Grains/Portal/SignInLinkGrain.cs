using MedSpa.Domain;
using MedSpa.Domain.Portal;
using MedSpa.Portal;

namespace MedSpa.Grains.Portal;

/// <summary>What storage keeps of a sign-in link: whose, when, until when, and whether it was used. Never its token.</summary>
[GenerateSerializer]
public sealed record SignInLinkState
{
    [Id(0)] public string? MemberId { get; init; }

    [Id(1)] public DateTimeOffset IssuedAt { get; init; }

    [Id(2)] public DateTimeOffset ExpiresAt { get; init; }

    [Id(3)] public DateTimeOffset? UsedAt { get; init; }

    public SignInLink? Link => MemberId is null ? null : new SignInLink(MemberId, IssuedAt, ExpiresAt, UsedAt);

    public static SignInLinkState Of(SignInLink link) =>
        new() { MemberId = link.MemberId, IssuedAt = link.IssuedAt, ExpiresAt = link.ExpiresAt, UsedAt = link.UsedAt };
}

/// <summary>
/// One sign-in link, keyed by its token's hash. Persisted, so a link mailed before a restart still works after it and a
/// used one stays used. The grain is single-threaded, so two clicks racing on one link sign in at most once.
/// </summary>
public sealed class SignInLinkGrain(
    [PersistentState("sign-in-link", StorageNames.Practice)] IPersistentState<SignInLinkState> state,
    TimeProvider clock) : Grain, ISignInLinkGrain
{
    public async Task<DateTimeOffset> IssueAsync(string memberId)
    {
        if (state.State.Link is { } issued)
        {
            return issued.MemberId == memberId
                ? issued.ExpiresAt
                : throw Reject.Conflict("sign_in_link_exists", "This sign-in link was already issued to someone else.");
        }

        var link = SignInLink.Issue(memberId, clock.GetUtcNow(), ISignInLinkGrain.Validity);
        await state.SaveAsync(SignInLinkState.Of(link));
        return link.ExpiresAt;
    }

    public async Task<string?> RedeemAsync()
    {
        if (state.State.Link?.Redeem(clock.GetUtcNow()) is not { } used)
        {
            return null;
        }

        // Marked used before anyone is signed in: if the write fails the caller gets an error, not a session. (No
        // DeactivateOnIdle here: a second click queued behind this one would be bounced instead of refused.)
        await state.SaveAsync(SignInLinkState.Of(used));
        return used.MemberId;
    }

    public Task<bool> IsRedeemableAsync() => Task.FromResult(state.State.Link?.IsRedeemable(clock.GetUtcNow()) == true);
}
