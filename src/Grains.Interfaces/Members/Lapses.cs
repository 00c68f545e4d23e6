namespace MedSpa.Members;

/// <summary>
/// A member whose membership ended within the win-back window (90 days, until <see cref="WinBackUntil"/>), with the
/// reactivation offer sent for this lapse, if any. While the member is still cancelled a sent offer is open.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LapseView(
    [property: Id(0)] string MemberId,
    [property: Id(1)] string FullName,
    [property: Id(2)] string Email,
    [property: Id(3)] string PlanId,
    [property: Id(4)] string PlanName,
    [property: Id(5)] DateOnly LapsedOn,
    [property: Id(6)] bool Involuntary,
    [property: Id(7)] DateOnly WinBackUntil,
    [property: Id(8)] ReactivationOffered? OfferSent);
