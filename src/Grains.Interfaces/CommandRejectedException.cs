namespace MedSpa;

/// <summary>
/// A command the rules refuse: nothing was changed. <see cref="Code"/> is the stable problem-details code clients
/// program against; <see cref="Kind"/> says which HTTP status family it belongs to.
/// </summary>
[GenerateSerializer]
public sealed class CommandRejectedException : Exception
{
    public CommandRejectedException(RejectionKind kind, string code, string message) : base(message)
    {
        Kind = kind;
        Code = code;
    }

    [Id(0)] public RejectionKind Kind { get; }

    [Id(1)] public string Code { get; }
}

[GenerateSerializer]
public enum RejectionKind
{
    /// <summary>The input is malformed or out of range (400).</summary>
    Invalid = 0,

    /// <summary>The thing named does not exist (404).</summary>
    NotFound = 1,

    /// <summary>The input is well formed but the current state forbids it (409).</summary>
    Conflict = 2,

    /// <summary>Something the command needs (the card processor) cannot be reached; nothing was changed, try again (503).</summary>
    Unavailable = 3,

    /// <summary>
    /// What is stored cannot be read back (a member's log the rules cannot fold): nothing was changed, and repeating
    /// will not help until it is repaired (500).
    /// </summary>
    Damaged = 4,
}
