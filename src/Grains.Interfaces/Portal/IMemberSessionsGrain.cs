using Orleans.Concurrency;

namespace MedSpa.Portal;

/// <summary>
/// A member's portal sessions, keyed by member id: every session carries the stamp current when it was opened and is
/// good only while that stamp is. Signing out replaces it, which ends every copy of the member's session cookie on
/// every node at once (a cookie is a bearer credential: deleting it in one browser does not stop a copy).
/// </summary>
public interface IMemberSessionsGrain : IGrainWithStringKey
{
    /// <summary>The stamp a session opened now carries.</summary>
    Task<string> OpenAsync();

    /// <summary>Whether a session carrying <paramref name="stamp"/> is still good.</summary>
    [ReadOnly]
    Task<bool> IsCurrentAsync(string stamp);

    /// <summary>Ends every session of the member.</summary>
    Task EndAllAsync();
}
