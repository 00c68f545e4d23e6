namespace MedSpa.Members;

/// <summary>Body of <c>POST /api/v1/members</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record NewClient(
    [property: Id(0)] string FirstName,
    [property: Id(1)] string LastName,
    [property: Id(2)] string Email,
    [property: Id(3)] string? Phone,
    [property: Id(4)] string HomeLocationId);

[GenerateSerializer, Immutable]
public sealed record MemberProfile(
    [property: Id(0)] string Id,
    [property: Id(1)] string FirstName,
    [property: Id(2)] string LastName,
    [property: Id(3)] string Email,
    [property: Id(4)] string? Phone,
    [property: Id(5)] string HomeLocationId,
    [property: Id(6)] DateTimeOffset RegisteredAt,
    [property: Id(7)] Registrar RegisteredBy)
{
    public string FullName => $"{FirstName} {LastName}";
}

public enum Registrar
{
    Staff,
    Client,
}
