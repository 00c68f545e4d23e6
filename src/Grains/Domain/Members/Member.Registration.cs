using System.Text.RegularExpressions;
using MedSpa.Members;
using MedSpa.Practice;

namespace MedSpa.Domain.Members;

public sealed partial record Member
{
    public const int MaxNameLength = 100;

    /// <summary>A new client's profile. The email is their portal login, so it is kept in lower case.</summary>
    public IReadOnlyList<MemberEvent> Register(string memberId, NewClient client, Registrar registeredBy, IReadOnlyList<Location> locations, DateTimeOffset now)
    {
        if (IsRegistered)
        {
            throw Reject.Conflict("member_exists", "This client is already registered.");
        }

        ArgumentNullException.ThrowIfNull(client);
        var firstName = RequireName(client.FirstName, "first name");
        var lastName = RequireName(client.LastName, "last name");
        var email = UsableEmail(client.Email)
            ?? throw Reject.Invalid("invalid_email", "An email address such as jane@example.com is needed: it is how the client signs in to the portal.");

        var phone = string.IsNullOrWhiteSpace(client.Phone) ? null : client.Phone.Trim();
        if (phone is not null && !PhonePattern().IsMatch(phone))
        {
            throw Reject.Invalid("invalid_phone", "A phone number has 7 to 15 digits and may start with + and contain spaces, dashes, dots or brackets.");
        }

        if (!locations.Any(l => l.Id == client.HomeLocationId))
        {
            throw Reject.Invalid("unknown_location", $"There is no location \"{client.HomeLocationId}\".");
        }

        var profile = new MemberProfile(memberId, firstName, lastName, email, phone, client.HomeLocationId, now, registeredBy);
        return [new ClientRegistered(profile) { OccurredAt = now }];
    }

    /// <summary>The address as kept (trimmed, lower case), or null when it cannot be one.</summary>
    public static string? UsableEmail(string? email)
    {
        var kept = email?.Trim().ToLowerInvariant() ?? "";
        return kept.Length <= 254 && EmailPattern().IsMatch(kept) ? kept : null;
    }

    private static string RequireName(string? name, string what)
    {
        var trimmed = WhiteSpace().Replace(name?.Trim() ?? "", " ");
        return trimmed.Length is > 0 and <= MaxNameLength
            ? trimmed
            : throw Reject.Invalid("invalid_name", $"A {what} of 1 to {MaxNameLength} characters is needed.");
    }

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^\+?(?:[\s\-.()]*\d){7,15}[\s\-.()]*$")]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
