using System.Collections.Immutable;
using MedSpa.Members;
using Orleans.Concurrency;

namespace MedSpa.Grains.Members;

/// <summary>
/// The front of the sharded directory: routes each call to the shard of the email (<see cref="IMemberDirectoryShardGrain.ShardOf"/>),
/// and a search to all shards at once. It holds nothing, so every silo runs its own copies. Its grain type is not the
/// old "memberdirectory", which now names <see cref="LegacyMemberDirectoryGrain"/> so that the state stored before
/// sharding can still be read.
/// </summary>
[StatelessWorker]
[GrainType("memberdirectoryfront")]
public sealed class MemberDirectoryGrain : Grain, IMemberDirectoryGrain
{
    public const int MaxResults = 200;

    internal static int Clamp(int limit) => Math.Clamp(limit, 1, MaxResults);

    private IMemberDirectoryShardGrain ShardOf(string email) =>
        GrainFactory.GetGrain<IMemberDirectoryShardGrain>(IMemberDirectoryShardGrain.ShardOf(email));

    public Task ClaimAsync(MemberSummary member) => ShardOf(member.Email).ClaimAsync(member);

    public async Task<IReadOnlyList<string>> ClaimManyAsync(IReadOnlyList<MemberSummary> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        var refused = await Task.WhenAll(members
            .GroupBy(m => IMemberDirectoryShardGrain.ShardOf(m.Email))
            .Select(shard => GrainFactory.GetGrain<IMemberDirectoryShardGrain>(shard.Key).ClaimManyAsync([.. shard])));
        return [.. refused.SelectMany(ids => ids)];
    }

    public Task<MemberSummary?> FindByEmailAsync(string email) =>
        IMemberDirectoryShardGrain.Normalise(email).Length == 0 ? Task.FromResult<MemberSummary?>(null) : ShardOf(email).FindByEmailAsync(email);

    public async Task<IReadOnlyDictionary<string, string>> FindManyByEmailAsync(IReadOnlyList<string> emails)
    {
        ArgumentNullException.ThrowIfNull(emails);
        var found = await Task.WhenAll(emails
            .GroupBy(IMemberDirectoryShardGrain.ShardOf)
            .Select(shard => GrainFactory.GetGrain<IMemberDirectoryShardGrain>(shard.Key).FindManyByEmailAsync([.. shard])));
        return found.SelectMany(f => f).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
    }

    public async Task<IReadOnlyList<MemberSummary>> SearchAsync(string? query, int limit)
    {
        // Each shard answers its first `limit` in directory order, so the first `limit` of them all are among them.
        var found = await Task.WhenAll(Enumerable.Range(0, IMemberDirectoryShardGrain.Count)
            .Select(shard => GrainFactory.GetGrain<IMemberDirectoryShardGrain>(shard).SearchAsync(query, limit)));
        return [.. found.SelectMany(f => f).InDirectoryOrder().Take(Clamp(limit))];
    }
}

/// <summary>The directory's state before sharding: every client in one dictionary.</summary>
[GenerateSerializer]
public sealed record MemberDirectoryState
{
    [Id(0)] public ImmutableDictionary<string, MemberSummary> Members { get; init; } = ImmutableDictionary<string, MemberSummary>.Empty;
}

/// <summary>
/// The single directory deployments stored before sharding, kept only so each shard can take its entries over once
/// (<see cref="MemberDirectoryShardGrain"/> does on its first activation). Same grain type and state name as before, so
/// it reads the same row; empty and cleared once every shard has taken its part.
/// </summary>
[GrainType("memberdirectory")]
public sealed class LegacyMemberDirectoryGrain(
    [PersistentState("member-directory", StorageNames.Practice)] IPersistentState<MemberDirectoryState> state) : Grain, ILegacyMemberDirectoryGrain
{
    public Task<IReadOnlyList<MemberSummary>> EntriesOfShardAsync(int shard) =>
        Task.FromResult<IReadOnlyList<MemberSummary>>([.. state.State.Members.Values.Where(m => IMemberDirectoryShardGrain.ShardOf(m.Email) == shard)]);

    public async Task ForgetShardAsync(int shard)
    {
        var left = state.State.Members.RemoveRange(
            state.State.Members.Values.Where(m => IMemberDirectoryShardGrain.ShardOf(m.Email) == shard).Select(m => m.Id));
        if (left.Count == state.State.Members.Count)
        {
            return;
        }

        if (left.IsEmpty)
        {
            await state.ClearStateAsync();
        }
        else
        {
            await state.SaveAsync(state.State with { Members = left });
        }
    }
}
