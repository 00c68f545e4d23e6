using System.Collections.Immutable;
using System.Net.Mail;
using MedSpa.Access;

namespace MedSpa.Domain.Access;

/// <summary>The practice's staff accounts and the rules for adding and changing them.</summary>
public sealed record StaffRoster(ImmutableList<StaffAccount> Accounts, ImmutableDictionary<string, string> PasswordHashes)
{
    public const int MaxNameLength = 100;

    public static StaffRoster Empty { get; } = new([], ImmutableDictionary<string, string>.Empty);

    /// <summary>Sign-in addresses compare in lower case and without surrounding spaces; anything else is not an address.</summary>
    public static string? NormaliseEmail(string? email)
    {
        var trimmed = email?.Trim().ToLowerInvariant() ?? "";
        return trimmed.Length <= 254 && MailAddress.TryCreate(trimmed, out var parsed) && parsed.Address == trimmed && parsed.Host.Contains('.', StringComparison.Ordinal)
            ? trimmed
            : null;
    }

    public StaffAccount? Find(string id) => Accounts.Find(a => a.Id == id);

    public StaffAccount? FindByEmail(string email) => Accounts.Find(a => a.Email == email);

    public StaffRoster Add(string id, NewStaffAccount request, IReadOnlyCollection<string> knownLocations, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        var email = NormaliseEmail(request.Email)
            ?? throw Reject.Invalid("invalid_email", "An email address such as jane@example.com is needed: it is how they sign in.");
        if (FindByEmail(email) is not null)
        {
            throw Reject.Conflict("staff_email_taken", $"{email} already has an account.");
        }

        var account = new StaffAccount(
            id, email, RequireName(request.DisplayName), RequireRole(request.Role), RequireLocations(request.LocationIds, knownLocations),
            Active: true, SessionStamp: Stamp(now), CreatedAt: now);
        return new StaffRoster(Accounts.Add(account), PasswordHashes.SetItem(id, RequireHash(request.PasswordHash)));
    }

    public StaffRoster Update(string id, StaffAccountUpdate update, IReadOnlyCollection<string> knownLocations, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(update);
        var account = Require(id);
        var changed = account with
        {
            DisplayName = RequireName(update.DisplayName),
            Role = RequireRole(update.Role),
            LocationIds = RequireLocations(update.LocationIds, knownLocations),
            Active = update.Active,
            // Disabling ends the account's sessions at once; re-enabling does not bring them back.
            SessionStamp = account.Active && !update.Active ? Stamp(now) : account.SessionStamp,
        };
        var roster = this with { Accounts = Accounts.Replace(account, changed) };
        if (!roster.Accounts.Any(a => a.Active && a.Role == StaffRole.Admin) && Accounts.Any(a => a.Active && a.Role == StaffRole.Admin))
        {
            throw Reject.Conflict("last_administrator", "This is the last active administrator account: make another administrator first.");
        }

        return roster;
    }

    public StaffRoster SetPasswordHash(string id, string passwordHash, DateTimeOffset now)
    {
        var account = Require(id);
        return new StaffRoster(
            Accounts.Replace(account, account with { SessionStamp = Stamp(now) }),
            PasswordHashes.SetItem(id, RequireHash(passwordHash)));
    }

    /// <summary>A new session stamp: every session carrying the old one ends (signing out, on every device).</summary>
    public StaffRoster EndSessions(string id, DateTimeOffset now)
    {
        var account = Require(id);
        return this with { Accounts = Accounts.Replace(account, account with { SessionStamp = Stamp(now) }) };
    }

    private StaffAccount Require(string id) =>
        Find(id) ?? throw Reject.NotFound("staff_not_found", "There is no staff account with this id.");

    private static string Stamp(DateTimeOffset now) => Identifiers.New("ses", now);

    private static string RequireName(string? name)
    {
        var trimmed = string.Join(' ', (name ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return trimmed.Length is > 0 and <= MaxNameLength
            ? trimmed
            : throw Reject.Invalid("invalid_name", $"A name of 1 to {MaxNameLength} characters is needed.");
    }

    private static StaffRole RequireRole(StaffRole role) => Enum.IsDefined(role)
        ? role
        : throw Reject.Invalid("invalid_role", "The role is admin, front_desk or provider.");

    private static ImmutableArray<string> RequireLocations(ImmutableArray<string> locationIds, IReadOnlyCollection<string> known)
    {
        var ids = locationIds.IsDefault ? [] : locationIds.Distinct(StringComparer.Ordinal).ToImmutableArray();
        return ids.FirstOrDefault(id => !known.Contains(id)) is { } unknown
            ? throw Reject.Invalid("unknown_location", $"There is no location \"{unknown}\".")
            : ids;
    }

    private static string RequireHash(string? hash) => string.IsNullOrEmpty(hash)
        ? throw new ArgumentException("A password hash is required.", nameof(hash))
        : hash;
}
