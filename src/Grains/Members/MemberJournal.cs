using MedSpa.Members;

namespace MedSpa.Grains.Members;

/// <summary>One stored event of a member's log; <see cref="Seq"/> runs 1, 2, 3 ... per member.</summary>
public sealed record JournalEntry(long Seq, MemberEvent Event, string Type, string PayloadJson)
{
    /// <summary>
    /// Reads a stored row. A payload that no longer reads as its event is a damaged log, not a passing failure: it is
    /// reported as such, with where it is, so it is never retried as if the database were only out of reach.
    /// </summary>
    public static JournalEntry Read(string memberId, long seq, string type, string payloadJson)
    {
        try
        {
            return new JournalEntry(seq, MemberEventJson.Deserialize(payloadJson), type, payloadJson);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new UnreadableLogException(memberId, seq, type, e);
        }
    }
}

/// <summary>A member's stored log that cannot be read back or folded: <see cref="Seq"/> is the first event that fails.</summary>
public sealed class UnreadableLogException(string memberId, long seq, string type, Exception inner)
    : Exception($"The log of {memberId} cannot be read from seq {seq} ({type}): {inner.Message}", inner)
{
    public string MemberId { get; } = memberId;

    public long Seq { get; } = seq;

    public string Type { get; } = type;
}

/// <summary>
/// A member's append-only event log. Appends are all-or-nothing and conditional on the log's length, so two
/// writers can never fork a member's history.
/// </summary>
public interface IMemberJournal
{
    /// <summary>The name of the log-consistency provider the member grain uses.</summary>
    const string ProviderName = "member-journal";

    Task<IReadOnlyList<JournalEntry>> ReadAsync(string memberId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends <paramref name="events"/> as seq <paramref name="expectedLength"/>+1, +2, ...; false (and nothing
    /// written) when the log is no longer <paramref name="expectedLength"/> long or one of the facts is already recorded.
    /// </summary>
    Task<bool> AppendAsync(string memberId, long expectedLength, IReadOnlyList<MemberEvent> events, CancellationToken cancellationToken = default);
}

/// <summary>The journal for <c>Storage:Mode=Memory</c>: the same encoding and rules, kept in this process only.</summary>
public sealed class InMemoryMemberJournal : IMemberJournal
{
    private readonly Dictionary<string, List<JournalEntry>> _logs = [];
    private readonly Lock _lock = new();

    public Task<IReadOnlyList<JournalEntry>> ReadAsync(string memberId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<JournalEntry> entries = _logs.TryGetValue(memberId, out var log)
                ? log.Select(e => JournalEntry.Read(memberId, e.Seq, e.Type, e.PayloadJson)).ToList()
                : [];
            return Task.FromResult(entries);
        }
    }

    public Task<bool> AppendAsync(string memberId, long expectedLength, IReadOnlyList<MemberEvent> events, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var log = _logs.TryGetValue(memberId, out var existing) ? existing : _logs[memberId] = [];
            var keys = log.Select(e => MemberEventJson.IdempotencyKey(e.Event)).OfType<string>().ToHashSet();
            var newKeys = events.Select(MemberEventJson.IdempotencyKey).OfType<string>().ToList();
            if (log.Count != expectedLength || newKeys.Any(keys.Contains) || newKeys.Distinct().Count() != newKeys.Count)
            {
                return Task.FromResult(false);
            }

            log.AddRange(events.Select((e, i) => new JournalEntry(expectedLength + i + 1, e, MemberEventJson.TypeOf(e), MemberEventJson.Serialize(e))));
            return Task.FromResult(true);
        }
    }
}
