using System.Collections.Immutable;
using MedSpa.Members;
using MedSpa.Notifications;

namespace MedSpa.Grains.Notifications;

[GenerateSerializer]
public sealed record MailboxState
{
    /// <summary>Oldest first.</summary>
    [Id(0)] public ImmutableList<MailboxMessage> Messages { get; init; } = [];
}

/// <summary>
/// The development mailbox: the newest <see cref="Capacity"/> messages, kept with the practice's state. Sign-in links
/// are the exception: they are credentials, so they are kept in this activation's memory only and never written; they
/// are useless after 15 minutes anyway, and a restart losing them costs a developer one more click on "send me a link".
/// </summary>
public sealed class MailboxGrain(
    [PersistentState("mailbox", StorageNames.Practice)] IPersistentState<MailboxState> state) : Grain, IMailboxGrain
{
    /// <summary>
    /// Enough to follow a demo or a test; this is not an archive (the member's events are). Small, because the whole
    /// list is written with every message.
    /// </summary>
    public const int Capacity = 100;

    private ImmutableList<MailboxMessage> _unstored = [];

    public async Task DepositAsync(MailboxMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Kind == NoticeKind.MagicLink)
        {
            _unstored = Keep(_unstored, message);
            return;
        }

        await state.SaveAsync(state.State with { Messages = Keep(state.State.Messages, message) });
    }

    public Task<MailboxMessage[]> ListAsync(int limit) =>
        // Each list newest first, then merged by time; the sort is stable, so messages of one instant keep that order.
        Task.FromResult(state.State.Messages.AsEnumerable().Reverse().Concat(_unstored.AsEnumerable().Reverse())
            .OrderByDescending(m => m.SentAt)
            .Take(Math.Clamp(limit, 0, Capacity))
            .ToArray());

    private static ImmutableList<MailboxMessage> Keep(ImmutableList<MailboxMessage> messages, MailboxMessage message)
    {
        messages = messages.RemoveAll(m => m.MessageId == message.MessageId).Add(message);
        return messages.Count > Capacity ? messages.RemoveRange(0, messages.Count - Capacity) : messages;
    }
}
