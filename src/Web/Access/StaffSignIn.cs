using MedSpa.Access;
using Microsoft.AspNetCore.Identity;

namespace MedSpa.Web.Access;

public enum SignInOutcome
{
    SignedIn,
    Refused,
    LockedOut,
}

/// <summary>
/// Checks a staff email and password. An unknown address, a wrong password and a disabled account get the same
/// answer after the same work: a hash verification (against a throwaway hash when there is no account) and a
/// failure counted against the address, so neither the answer nor its timing says who has an account.
/// </summary>
public sealed class StaffSignIn(IGrainFactory grains, IPasswordHasher<StaffAccount> hasher)
{
    public const int MinPasswordLength = 12;

    /// <summary>Long enough for any passphrase; short enough that hashing it costs nothing unusual.</summary>
    public const int MaxPasswordLength = 256;

    private readonly Lazy<string> _decoyHash = new(() => hasher.HashPassword(Decoy, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24))));

    private static readonly StaffAccount Decoy = new("stf_decoy", "", "", StaffRole.Provider, [], false, "", default);

    private IStaffDirectoryGrain Directory => grains.GetGrain<IStaffDirectoryGrain>(IStaffDirectoryGrain.Key);

    public async Task<(SignInOutcome Outcome, StaffAccount? Account)> CheckAsync(string? email, string? password)
    {
        var check = await Directory.GetSignInCheckAsync(email ?? "");
        if (check.LockedOut)
        {
            return (SignInOutcome.LockedOut, null);
        }

        var candidate = password is { Length: > 0 and <= MaxPasswordLength } ? password : "";
        var verified = hasher.VerifyHashedPassword(check.Account ?? Decoy, check.PasswordHash ?? _decoyHash.Value, candidate) != PasswordVerificationResult.Failed;
        var signedIn = verified && candidate.Length > 0 && check.Account is { Active: true };
        await Directory.RecordSignInAsync(email ?? "", signedIn);
        return signedIn ? (SignInOutcome.SignedIn, check.Account) : (SignInOutcome.Refused, null);
    }

    /// <summary>Hashes a new password, refusing one too short (400 <c>weak_password</c>) or absurdly long.</summary>
    public string Hash(string? password) => password switch
    {
        null or { Length: < MinPasswordLength } => throw new CommandRejectedException(RejectionKind.Invalid, "weak_password", $"A password needs at least {MinPasswordLength} characters."),
        { Length: > MaxPasswordLength } => throw new CommandRejectedException(RejectionKind.Invalid, "weak_password", $"A password has at most {MaxPasswordLength} characters."),
        _ => hasher.HashPassword(Decoy, password),
    };
}
