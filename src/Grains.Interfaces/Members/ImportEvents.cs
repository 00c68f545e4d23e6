namespace MedSpa.Members;

/// <summary>
/// A member moved in from the practice's old records, with the membership they already had: the plan terms of the
/// import day, their own billing day and member-since date, and where they stand (active, paused until
/// <see cref="PausedUntil"/>, or cancelled). Nothing is charged: <see cref="NextPeriodStart"/> is the next occurrence of
/// their billing day on or after the import day. <see cref="ImportKey"/> is what a repeated import is recognised by.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record MemberImported(
    [property: Id(0)] string ImportKey,
    [property: Id(1)] EnrolledPlan Plan,
    [property: Id(2)] string TimeZone,
    [property: Id(3)] DateOnly MemberSince,
    [property: Id(4)] int AnchorDay,
    [property: Id(5)] DateOnly TermEnd,
    [property: Id(6)] MembershipStatus Status,
    [property: Id(7)] DateOnly NextPeriodStart,
    [property: Id(8)] DateOnly? PausedUntil) : MemberEvent;
