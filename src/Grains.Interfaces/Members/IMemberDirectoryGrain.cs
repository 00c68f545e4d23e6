using Orleans.Concurrency;

namespace MedSpa.Members;

/// <summary>
/// Every client of the practice by name, email and phone: search for the desk, and one client per email address,
/// since the email is the portal login. One per deployment.
/// </summary>
public interface IMemberDirectoryGrain : IGrainWithStringKey
{
    const string Key = "practice";

    /// <summary>Lists the client, or updates their entry. 409 <c>email_in_use</c> when another client has the email.</summary>
    Task ClaimAsync(MemberSummary member);

    /// <summary>
    /// Claims many entries in one write (an import). Returns the ids refused because another registered client has
    /// the email; the rest are listed.
    /// </summary>
    Task<IReadOnlyList<string>> ClaimManyAsync(IReadOnlyList<MemberSummary> members);

    /// <summary>The client whose email is exactly <paramref name="email"/> (ignoring case and surrounding spaces), or null.</summary>
    [ReadOnly]
    Task<MemberSummary?> FindByEmailAsync(string email);

    /// <summary>Of <paramref name="emails"/> (lower case), those a client has, with that client's id.</summary>
    [ReadOnly]
    Task<IReadOnlyDictionary<string, string>> FindManyByEmailAsync(IReadOnlyList<string> emails);

    /// <summary>Clients whose name, email or phone contains <paramref name="query"/> (all when empty), by name.</summary>
    [ReadOnly]
    Task<IReadOnlyList<MemberSummary>> SearchAsync(string? query, int limit);
}

[GenerateSerializer, Immutable]
public sealed record MemberSummary(
    [property: Id(0)] string Id,
    [property: Id(1)] string FullName,
    [property: Id(2)] string Email,
    [property: Id(3)] string? Phone,
    [property: Id(4)] string HomeLocationId);
