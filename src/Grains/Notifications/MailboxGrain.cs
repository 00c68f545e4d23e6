using System.Collections.Immutable;
using MedSpa.Notifications;

namespace MedSpa.Grains.Notifications;

[GenerateSerializer]
public sealed record MailboxState
{
    /// <summary>Oldest first.</summary>
    [Id(0)] public ImmutableList<MailboxMessage> Messages { get; init; } = [];
}

/// <summary>The development mailbox: the newest <see cref="Capacity"/> messages, kept with the practice's state.</summary>
public sealed class MailboxGrain(
    [PersistentState("mailbox", StorageNames.Practice)] IPersistentState<MailboxState> state) : Grain, IMailboxGrain
{
    /// <summary>
    /// Enough to follow a demo or a test; this is not an archive (the member's events are). Small, because the whole
    /// list is written with every message.
    /// </summary>
    public const int Capacity = 100;

    public async Task DepositAsync(MailboxMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var messages = state.State.Messages.RemoveAll(m => m.MessageId == message.MessageId).Add(message);
        if (messages.Count > Capacity)
        {
            messages = messages.RemoveRange(0, messages.Count - Capacity);
        }

        await state.SaveAsync(state.State with { Messages = messages });
    }

    public Task<MailboxMessage[]> ListAsync(int limit) =>
        Task.FromResult(state.State.Messages.AsEnumerable().Reverse().Take(Math.Clamp(limit, 0, Capacity)).ToArray());
}
