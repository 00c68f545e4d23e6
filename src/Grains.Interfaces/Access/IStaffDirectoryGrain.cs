using System.Collections.Immutable;
using Orleans.Concurrency;

namespace MedSpa.Access;

/// <summary>
/// The practice's staff accounts and their sign-in failures. Passwords are hashed in the web tier: only hashes ever
/// reach this grain, and only the sign-in check reads them back.
/// </summary>
public interface IStaffDirectoryGrain : IGrainWithStringKey
{
    const string Key = "practice";

    /// <summary>Adds an account; 409 <c>staff_email_taken</c> when the (normalised) email is already someone's.</summary>
    Task<StaffAccount> AddAsync(NewStaffAccount account);

    /// <summary>Changes name, role, locations and whether the account may sign in (404 <c>staff_not_found</c>).</summary>
    Task<StaffAccount> UpdateAsync(string id, StaffAccountUpdate update);

    /// <summary>Replaces the password's hash; every session of the account ends with it.</summary>
    Task SetPasswordHashAsync(string id, string passwordHash);

    /// <summary>Ends every session of the account (signing out), wherever its cookie is; 404 <c>staff_not_found</c>.</summary>
    Task EndSessionsAsync(string id);

    [ReadOnly]
    Task<ImmutableArray<StaffAccount>> ListAsync();

    /// <summary>The account, or null: what a staff session is checked against.</summary>
    [ReadOnly]
    Task<StaffAccount?> GetAsync(string id);

    /// <summary>What signing in as <paramref name="email"/> needs: whether it is locked out, and the account and its hash if any.</summary>
    [ReadOnly]
    Task<StaffSignInCheck> GetSignInCheckAsync(string email);

    /// <summary>Counts a failed sign-in against the address (known or not); a success clears its failures.</summary>
    Task RecordSignInAsync(string email, bool succeeded);
}

/// <summary>Body of <c>POST /api/v1/staff</c> once the password is hashed.</summary>
[GenerateSerializer, Immutable]
public sealed record NewStaffAccount(
    [property: Id(0)] string Email,
    [property: Id(1)] string DisplayName,
    [property: Id(2)] StaffRole Role,
    [property: Id(3)] ImmutableArray<string> LocationIds,
    [property: Id(4)] string PasswordHash);

/// <summary>Body of <c>PUT /api/v1/staff/{id}</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record StaffAccountUpdate(
    [property: Id(0)] string DisplayName,
    [property: Id(1)] StaffRole Role,
    [property: Id(2)] ImmutableArray<string> LocationIds,
    [property: Id(3)] bool Active);

/// <summary>
/// A member of staff. <see cref="LocationIds"/> empty means every location. <see cref="SessionStamp"/> changes
/// when the password changes or the account is disabled, which ends the sessions that carry the old one.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record StaffAccount(
    [property: Id(0)] string Id,
    [property: Id(1)] string Email,
    [property: Id(2)] string DisplayName,
    [property: Id(3)] StaffRole Role,
    [property: Id(4)] ImmutableArray<string> LocationIds,
    [property: Id(5)] bool Active,
    [property: Id(6)] string SessionStamp,
    [property: Id(7)] DateTimeOffset CreatedAt);

[GenerateSerializer, Immutable]
public sealed record StaffSignInCheck(
    [property: Id(0)] bool LockedOut,
    [property: Id(1)] StaffAccount? Account,
    [property: Id(2)] string? PasswordHash);
