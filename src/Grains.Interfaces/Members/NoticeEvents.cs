namespace MedSpa.Members;

/// <summary>
/// A notice left for its recipient: the mail server (or the development mailbox) accepted it. What it was and when come
/// with the notice and <see cref="MemberEvent.OccurredAt"/>; <see cref="MessageId"/> is the mail's Message-Id, the same
/// for every attempt, so a resend after a crash is recognisable as the same message.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record NoticeSent(
    [property: Id(0)] string NoticeId,
    [property: Id(1)] string MessageId,
    [property: Id(2)] string To) : MemberEvent;
