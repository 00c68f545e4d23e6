using System.Collections.Immutable;
using MedSpa.Members;
using MedSpa.Notifications;
using Orleans.Concurrency;

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
/// <remarks>
/// Every message of the practice comes here, and the whole list is one state, so deposits share writes: a deposit
/// answers once a write holding its message has succeeded, and the messages that arrive while one write is under way
/// all go in the next. One write a message made this grain the practice's slowest (about 40 messages a second, each
/// write a hundred messages long), and enrolling thousands of members waited for their welcome mail.
/// </remarks>
[Reentrant]
public sealed class MailboxGrain(
    [PersistentState("mailbox", StorageNames.Practice)] IPersistentState<MailboxState> state) : Grain, IMailboxGrain
{
    /// <summary>
    /// Enough to follow a demo or a test; this is not an archive (the member's events are). Small, because the whole
    /// list is written with every message.
    /// </summary>
    public const int Capacity = 100;

    private ImmutableList<MailboxMessage> _unstored = [];

    /// <summary>Deposits kept in memory so far, and how many of them the last successful write held.</summary>
    private long _deposited;
    private long _written;
    private Task _writing = Task.CompletedTask;

    public async Task DepositAsync(MailboxMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Kind == NoticeKind.MagicLink)
        {
            _unstored = Keep(_unstored, message);
            return;
        }

        state.State = state.State with { Messages = Keep(state.State.Messages, message) };
        var mine = ++_deposited;
        while (_written < mine)
        {
            if (_writing.IsCompleted)
            {
                // Nobody is writing: write everything deposited so far. A failure is this deposit's to hear; whoever
                // else waits on this write finds their message unwritten and starts the next one.
                var upTo = _deposited;
                _writing = state.WriteStateAsync();
                await _writing;
                _written = Math.Max(_written, upTo);
            }
            else
            {
                // Another deposit's write, begun before or after this message came: wait for it, then look again.
                await _writing.ContinueWith(static _ => { }, TaskScheduler.Current);
            }
        }
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
