using System.Collections.Immutable;
using MedSpa.Domain;
using MedSpa.Members;

namespace MedSpa.Grains.Members;

[GenerateSerializer]
public sealed record MemberDirectoryShardState
{
    [Id(0)] public ImmutableDictionary<string, MemberSummary> Members { get; init; } = ImmutableDictionary<string, MemberSummary>.Empty;

    /// <summary>Whether this shard has taken its entries from the single directory stored before sharding.</summary>
    [Id(1)] public bool LegacyAdopted { get; init; }
}

/// <summary>
/// The clients whose email hashes to this shard (<see cref="IMemberDirectoryShardGrain.ShardOf"/>). A registration
/// rewrites only this shard's state, about 1/64 of the directory, rather than the whole of it.
/// A client's email never changes after registration (there is no profile update that touches it), so an entry never
/// has to move between shards; re-claiming the same id with the same email just updates the entry.
/// </summary>
public sealed class MemberDirectoryShardGrain(
    [PersistentState("member-directory-shard", StorageNames.Practice)] IPersistentState<MemberDirectoryShardState> state) : Grain, IMemberDirectoryShardGrain
{
    private int Shard => (int)this.GetPrimaryKeyLong();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.LegacyAdopted)
        {
            return;
        }

        // Before any call is served, so no claim can slip past an email the old single directory still holds.
        var legacy = GrainFactory.GetGrain<ILegacyMemberDirectoryGrain>(IMemberDirectoryGrain.Key);
        var members = state.State.Members.ToBuilder();
        var emails = members.Values.Select(m => m.Email).ToHashSet(StringComparer.Ordinal);
        foreach (var entry in await legacy.EntriesOfShardAsync(Shard))
        {
            // Idempotent: an entry claimed here since (same id or same email) is newer than the old copy.
            if (!members.ContainsKey(entry.Id) && emails.Add(entry.Email))
            {
                members[entry.Id] = entry;
            }
        }

        await state.SaveAsync(new MemberDirectoryShardState { Members = members.ToImmutable(), LegacyAdopted = true }, cancellationToken);
        // Stored here first, forgotten there second: a crash in between leaves a harmless copy, never a lost entry.
        await legacy.ForgetShardAsync(Shard);
    }

    public async Task ClaimAsync(MemberSummary member)
    {
        var holder = state.State.Members.Values.FirstOrDefault(m => m.Email == member.Email && m.Id != member.Id);
        if (holder is not null && await IsRegisteredAsync(holder.Id))
        {
            throw Reject.Conflict("email_in_use", $"Another client already uses {member.Email}.");
        }

        var members = state.State.Members;
        if (holder is not null)
        {
            // A claim whose registration never completed (the member's events were not written) must not lock the email out.
            members = members.Remove(holder.Id);
        }

        await state.SaveAsync(state.State with { Members = members.SetItem(member.Id, member) });
    }

    public async Task<IReadOnlyList<string>> ClaimManyAsync(IReadOnlyList<MemberSummary> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        var byEmail = state.State.Members.Values.ToLookup(m => m.Email, StringComparer.Ordinal);
        var entries = state.State.Members.ToBuilder();
        var refused = new List<string>();
        foreach (var member in members)
        {
            var holder = byEmail[member.Email].FirstOrDefault(m => m.Id != member.Id);
            if (holder is not null && await IsRegisteredAsync(holder.Id))
            {
                refused.Add(member.Id);
                continue;
            }

            if (holder is not null)
            {
                entries.Remove(holder.Id);
            }

            entries[member.Id] = member;
        }

        // One write for the lot: claiming thousands one by one rewrites the shard each time.
        await state.SaveAsync(state.State with { Members = entries.ToImmutable() });
        return refused;
    }

    public Task<IReadOnlyList<MemberSummary>> SearchAsync(string? query, int limit)
    {
        var q = query?.Trim() ?? "";
        var digits = new string(q.Where(char.IsAsciiDigit).ToArray());
        IReadOnlyList<MemberSummary> found = state.State.Members.Values
            .Where(m => q.Length == 0
                || m.FullName.Contains(q, StringComparison.OrdinalIgnoreCase)
                || m.Email.Contains(q, StringComparison.OrdinalIgnoreCase)
                || (digits.Length >= 3 && m.Phone is { } phone && new string(phone.Where(char.IsAsciiDigit).ToArray()).Contains(digits, StringComparison.Ordinal)))
            .InDirectoryOrder()
            .Take(MemberDirectoryGrain.Clamp(limit))
            .ToList();
        return Task.FromResult(found);
    }

    public Task<MemberSummary?> FindByEmailAsync(string email)
    {
        var wanted = IMemberDirectoryShardGrain.Normalise(email);
        return Task.FromResult(wanted.Length == 0 ? null : state.State.Members.Values.FirstOrDefault(m => m.Email == wanted));
    }

    public Task<IReadOnlyDictionary<string, string>> FindManyByEmailAsync(IReadOnlyList<string> emails)
    {
        var wanted = emails.ToHashSet(StringComparer.Ordinal);
        IReadOnlyDictionary<string, string> found = state.State.Members.Values
            .Where(m => wanted.Contains(m.Email))
            .GroupBy(m => m.Email, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Id, StringComparer.Ordinal);
        return Task.FromResult(found);
    }

    private async Task<bool> IsRegisteredAsync(string memberId)
    {
        try
        {
            await GrainFactory.GetGrain<IMemberGrain>(memberId).GetProfileAsync();
            return true;
        }
        catch (CommandRejectedException e) when (e.Code == "member_not_found")
        {
            return false;
        }
    }
}

internal static class DirectoryOrder
{
    /// <summary>The directory's one order, by name ignoring case then by id, which each shard and the merge both use.</summary>
    public static IOrderedEnumerable<MemberSummary> InDirectoryOrder(this IEnumerable<MemberSummary> members) =>
        members.OrderBy(m => m.FullName, StringComparer.OrdinalIgnoreCase).ThenBy(m => m.Id, StringComparer.Ordinal);
}
