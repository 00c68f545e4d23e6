using System.Collections.Immutable;
using Orleans.Concurrency;

namespace MedSpa.Access;

/// <summary>
/// The practice's API keys for other systems (booking, EMR) and administrators. Only SHA-256 hashes of keys are
/// ever stored or sent here; the plain key exists only in the caller's hands.
/// </summary>
public interface IApiKeyGrain : IGrainWithStringKey
{
    const string Key = "practice";

    /// <summary>Registers a key if its hash is not known yet; an existing key keeps its name and role.</summary>
    Task EnsureAsync(ApiKeyRegistration registration);

    /// <summary>Adds a key (400 <c>invalid_name</c>, 409 <c>api_key_exists</c> for a hash already known).</summary>
    Task<ApiKeyHolder> AddAsync(ApiKeyRegistration registration);

    /// <summary>Revokes a key (404 <c>api_key_not_found</c>) and returns its hash, so caches of it can be dropped.</summary>
    Task<string> RevokeAsync(string id);

    [ReadOnly]
    Task<ImmutableArray<ApiKeyHolder>> ListAsync();

    /// <summary>The key's holder, or null for an unknown or revoked key.</summary>
    [ReadOnly]
    Task<ApiKeyHolder?> FindAsync(string keyHash);
}

[GenerateSerializer, Immutable]
public sealed record ApiKeyRegistration(
    [property: Id(0)] string KeyHash,
    [property: Id(1)] string Name,
    [property: Id(2)] StaffRole Role);

/// <summary>A key as staff see it: never the key, nor its hash.</summary>
[GenerateSerializer, Immutable]
public sealed record ApiKeyHolder(
    [property: Id(0)] string Name,
    [property: Id(1)] StaffRole Role)
{
    [Id(2)] public string Id { get; init; } = "";

    [Id(3)] public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>What a member of staff (or a system acting for one) may do.</summary>
[GenerateSerializer]
public enum StaffRole
{
    /// <summary>Owner or administrator: everything, including plans, reports and settings.</summary>
    Admin = 0,

    /// <summary>Members, enrolment, checkout, failed payments.</summary>
    FrontDesk = 1,

    /// <summary>Read and redeem.</summary>
    Provider = 2,
}
