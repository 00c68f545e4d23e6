namespace MedSpa.Domain;

/// <summary>The rules' refusals, each with the stable code the API reports.</summary>
public static class Reject
{
    public static CommandRejectedException Invalid(string code, string message) => new(RejectionKind.Invalid, code, message);

    public static CommandRejectedException Conflict(string code, string message) => new(RejectionKind.Conflict, code, message);

    public static CommandRejectedException Unavailable(string code, string message) => new(RejectionKind.Unavailable, code, message);

    public static CommandRejectedException NotFound(string code, string message) => new(RejectionKind.NotFound, code, message);

    public static CommandRejectedException Damaged(string code, string message) => new(RejectionKind.Damaged, code, message);
}
