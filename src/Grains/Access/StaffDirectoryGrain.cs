using System.Collections.Immutable;
using MedSpa.Access;
using MedSpa.Domain.Access;
using MedSpa.Practice;

namespace MedSpa.Grains.Access;

[GenerateSerializer]
public sealed record StaffDirectoryState
{
    [Id(0)] public ImmutableList<StaffAccount> Accounts { get; init; } = [];

    [Id(1)] public ImmutableDictionary<string, string> PasswordHashes { get; init; } = ImmutableDictionary<string, string>.Empty;

    [Id(2)] public ImmutableDictionary<string, ImmutableList<DateTimeOffset>> SignInFailures { get; init; } =
        ImmutableDictionary<string, ImmutableList<DateTimeOffset>>.Empty;
}

public sealed class StaffDirectoryGrain(
    [PersistentState("staff-directory", StorageNames.Practice)] IPersistentState<StaffDirectoryState> state,
    IGrainFactory grains,
    TimeProvider clock) : Grain, IStaffDirectoryGrain
{
    private StaffRoster Roster => new(state.State.Accounts, state.State.PasswordHashes);

    private SignInFailures Failures => new(state.State.SignInFailures);

    public async Task<StaffAccount> AddAsync(NewStaffAccount account)
    {
        var now = clock.GetUtcNow();
        var id = Identifiers.New("stf", now);
        await SaveAsync(Roster.Add(id, account, await LocationIdsAsync(), now));
        return Roster.Find(id)!;
    }

    public async Task<StaffAccount> UpdateAsync(string id, StaffAccountUpdate update)
    {
        await SaveAsync(Roster.Update(id, update, await LocationIdsAsync(), clock.GetUtcNow()));
        return Roster.Find(id)!;
    }

    public Task SetPasswordHashAsync(string id, string passwordHash) =>
        SaveAsync(Roster.SetPasswordHash(id, passwordHash, clock.GetUtcNow()));

    public Task EndSessionsAsync(string id) => SaveAsync(Roster.EndSessions(id, clock.GetUtcNow()));

    public Task<ImmutableArray<StaffAccount>> ListAsync() => Task.FromResult(state.State.Accounts.ToImmutableArray());

    public Task<StaffAccount?> GetAsync(string id) => Task.FromResult(Roster.Find(id));

    public Task<StaffSignInCheck> GetSignInCheckAsync(string email)
    {
        var normalised = StaffRoster.NormaliseEmail(email) ?? "";
        var account = Roster.FindByEmail(normalised);
        return Task.FromResult(new StaffSignInCheck(
            Failures.IsLockedOut(normalised, clock.GetUtcNow()),
            account,
            account is null ? null : state.State.PasswordHashes.GetValueOrDefault(account.Id)));
    }

    public Task RecordSignInAsync(string email, bool succeeded)
    {
        var normalised = StaffRoster.NormaliseEmail(email) ?? "";
        if (succeeded && !state.State.SignInFailures.ContainsKey(normalised))
        {
            return Task.CompletedTask;
        }

        return state.SaveAsync(state.State with { SignInFailures = Failures.Record(normalised, succeeded, clock.GetUtcNow()).ByEmail });
    }

    private async Task<IReadOnlyCollection<string>> LocationIdsAsync() =>
        (await grains.GetGrain<IPracticeGrain>(IPracticeGrain.Key).GetCatalogueAsync()).Locations.Select(l => l.Id).ToHashSet(StringComparer.Ordinal);

    private Task SaveAsync(StaffRoster roster) =>
        state.SaveAsync(state.State with { Accounts = roster.Accounts, PasswordHashes = roster.PasswordHashes });
}
