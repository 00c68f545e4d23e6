using Orleans.Concurrency;

namespace MedSpa.Members;

/// <summary>
/// One slice of the member directory: the clients whose email hashes to it (<see cref="ShardOf"/>). One email always
/// lands in the same shard, so "one client per email" is checked inside a single shard, with no cross-shard lock.
/// Only <see cref="IMemberDirectoryGrain"/> calls it.
/// </summary>
public interface IMemberDirectoryShardGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Fixed: it is part of the stored layout (each shard's state holds the emails that hash to it), so changing it
    /// would need a migration that moves every entry. 64 keeps each shard's state small at 100,000s of clients while a
    /// search still fans out to few enough grains.
    /// </summary>
    const int Count = 64;

    /// <summary>The shard of <paramref name="email"/> after trimming and lower-casing, by its <see cref="StableHash"/>.</summary>
    static int ShardOf(string email) => (int)(StableHash.Of(Normalise(email)) % Count);

    /// <summary>An email as the directory keys it: trimmed and in lower case, as the profile stores it.</summary>
    static string Normalise(string? email) => email?.Trim().ToLowerInvariant() ?? "";

    /// <inheritdoc cref="IMemberDirectoryGrain.ClaimAsync"/>
    Task ClaimAsync(MemberSummary member);

    /// <inheritdoc cref="IMemberDirectoryGrain.ClaimManyAsync"/>
    Task<IReadOnlyList<string>> ClaimManyAsync(IReadOnlyList<MemberSummary> members);

    /// <summary>The client whose email is <paramref name="email"/> (normalised), or null.</summary>
    [ReadOnly]
    Task<MemberSummary?> FindByEmailAsync(string email);

    /// <inheritdoc cref="IMemberDirectoryGrain.FindManyByEmailAsync"/>
    [ReadOnly]
    Task<IReadOnlyDictionary<string, string>> FindManyByEmailAsync(IReadOnlyList<string> emails);

    /// <summary>This shard's first <paramref name="limit"/> matches in directory order (name ignoring case, then id).</summary>
    [ReadOnly]
    Task<IReadOnlyList<MemberSummary>> SearchAsync(string? query, int limit);
}

/// <summary>
/// The directory as one grain stored it before it was sharded (state "member-directory" of grain
/// "memberdirectory/practice"): each shard takes its entries from it once, then lets it forget them.
/// </summary>
public interface ILegacyMemberDirectoryGrain : IGrainWithStringKey
{
    /// <summary>The stored entries whose email belongs to <paramref name="shard"/>.</summary>
    Task<IReadOnlyList<MemberSummary>> EntriesOfShardAsync(int shard);

    /// <summary>Drops the entries of <paramref name="shard"/> (it has stored them itself); clears the state once none are left.</summary>
    Task ForgetShardAsync(int shard);
}
