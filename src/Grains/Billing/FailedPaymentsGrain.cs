using System.Collections.Immutable;
using MedSpa.Billing;

namespace MedSpa.Grains.Billing;

[GenerateSerializer]
public sealed record FailedPaymentsState
{
    [Id(0)] public ImmutableSortedDictionary<string, FailedPayment> Entries { get; init; } = ImmutableSortedDictionary<string, FailedPayment>.Empty;
}

/// <summary>The failed-payments board, written only by the member grains as their dunning moves on.</summary>
public sealed class FailedPaymentsGrain(
    [PersistentState("failed-payments", StorageNames.Practice)] IPersistentState<FailedPaymentsState> board) : Grain, IFailedPaymentsGrain
{
    public async Task ReportAsync(FailedPayment entry)
    {
        if (board.State.Entries.TryGetValue(entry.MemberId, out var current) && current == entry)
        {
            return;
        }

        board.State = board.State with { Entries = board.State.Entries.SetItem(entry.MemberId, entry) };
        await board.WriteStateAsync();
    }

    public async Task ClearAsync(string memberId)
    {
        if (!board.State.Entries.ContainsKey(memberId))
        {
            return;
        }

        board.State = board.State with { Entries = board.State.Entries.Remove(memberId) };
        await board.WriteStateAsync();
    }

    /// <summary>Longest-unpaid first: those are the members closest to losing their membership.</summary>
    public Task<FailedPayment[]> ListAsync() =>
        Task.FromResult(board.State.Entries.Values.OrderBy(e => e.Since).ThenBy(e => e.MemberId, StringComparer.Ordinal).ToArray());
}
