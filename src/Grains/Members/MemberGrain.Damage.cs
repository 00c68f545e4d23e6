using MedSpa.Members;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MedSpa.Grains.Members;

/// <summary>
/// A member's log must always fold (issue 19, finding 10). Nothing is appended that the fold cannot apply, and a log
/// that cannot be folded anyway (written before these checks, or edited by hand) damages only its own member: they
/// answer <c>member_log_unreadable</c>, and the rest of the practice carries on.
/// </summary>
public sealed partial class MemberGrain : IIncomingGrainCallFilter
{
    public const string UnreadableCode = "member_log_unreadable";

    public const string UnfoldableCode = "unfoldable_change";

    private ILogger Logger => ServiceProvider.GetRequiredService<ILogger<MemberGrain>>();

    /// <summary>
    /// A decision folds its own events as it makes them, so a figure beyond a <see cref="long"/> (a balance recorded
    /// before the ceilings, say) overflows there, before <see cref="RecordAsync"/> is reached: refused the same way.
    /// </summary>
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await context.Invoke();
        }
        catch (OverflowException overflow)
        {
            LogUnfoldable(Logger, overflow, Id, context.MethodName);
            throw Domain.Reject.Conflict(UnfoldableCode,
                "A figure in this change is beyond what the client's history can hold, so it cannot be applied. It has been logged for support.");
        }
    }

    private MemberLog DamagedLog(UnreadableLogException damaged)
    {
        LogUnreadable(Logger, damaged, Id, damaged.Seq, damaged.Type);
        return new MemberLog { Damage = $"from event {damaged.Seq} ({damaged.Type})" };
    }

    private CommandRejectedException Damaged(string damage)
    {
        // Read again on the next call: a log repaired meanwhile is then served as usual.
        DeactivateOnIdle();
        return Domain.Reject.Damaged(UnreadableCode,
            $"This client's history cannot be read back {damage}, so nothing can be shown or changed for them. It has been logged for support.");
    }

    /// <summary>Throws <c>unfoldable_change</c> (409), logged as the bug it is, when <paramref name="events"/> would not fold onto <paramref name="before"/>.</summary>
    private void RefuseUnfoldable(Domain.Members.Member before, IReadOnlyList<MemberEvent> events)
    {
        try
        {
            MemberLogFold.AsStored(before, events);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogUnfoldable(Logger, e, Id, string.Join(", ", events.Select(MemberEventJson.TypeOf)));
            throw Domain.Reject.Conflict(UnfoldableCode,
                "This change cannot be applied to the client's history, so nothing was recorded. It has been logged for support.");
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The log of {MemberId} cannot be folded from event {Seq} ({Type}): the member is refused until it is repaired")]
    private static partial void LogUnreadable(ILogger logger, Exception exception, string memberId, long seq, string type);

    [LoggerMessage(Level = LogLevel.Error, Message = "Refused {Change} for {MemberId}: it does not fold onto the member (a bug in the rules, or a figure recorded before the ceilings)")]
    private static partial void LogUnfoldable(ILogger logger, Exception exception, string memberId, string change);
}

/// <summary>The fold of a member's log as it is read back: events through their stored JSON.</summary>
public static class MemberLogFold
{
    /// <summary>
    /// Folds <paramref name="events"/> onto <paramref name="state"/> as a later read would, each first written to and
    /// read back from its stored form; throws whatever that fold throws.
    /// </summary>
    public static Domain.Members.Member AsStored(Domain.Members.Member state, IEnumerable<MemberEvent> events)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(events);
        return events.Aggregate(state, (member, e) => member.Apply(MemberEventJson.Deserialize(MemberEventJson.Serialize(e))));
    }
}
