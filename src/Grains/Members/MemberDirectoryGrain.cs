using System.Collections.Immutable;
using MedSpa.Domain;
using MedSpa.Members;

namespace MedSpa.Grains.Members;

[GenerateSerializer]
public sealed record MemberDirectoryState
{
    [Id(0)] public ImmutableDictionary<string, MemberSummary> Members { get; init; } = ImmutableDictionary<string, MemberSummary>.Empty;
}

public sealed class MemberDirectoryGrain(
    [PersistentState("member-directory", StorageNames.Practice)] IPersistentState<MemberDirectoryState> state) : Grain, IMemberDirectoryGrain
{
    public const int MaxResults = 200;

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

        // One write for the lot: claiming thousands one by one rewrites the whole directory each time.
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
            .OrderBy(m => m.FullName, StringComparer.OrdinalIgnoreCase)
            .ThenBy(m => m.Id, StringComparer.Ordinal)
            .Take(Math.Clamp(limit, 1, MaxResults))
            .ToList();
        return Task.FromResult(found);
    }

    public Task<MemberSummary?> FindByEmailAsync(string email)
    {
        // Emails are stored in lower case (the profile normalises them), so one exact comparison finds the client.
        var wanted = email?.Trim().ToLowerInvariant() ?? "";
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
