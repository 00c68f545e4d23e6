using System.Collections.Immutable;

namespace MedSpa.Domain.Access;

/// <summary>
/// Failed staff sign-ins per address, known or not, so a lockout says nothing about which addresses have accounts.
/// Five failures within fifteen minutes lock the address until the oldest of them is fifteen minutes old.
/// </summary>
public sealed record SignInFailures(ImmutableDictionary<string, ImmutableList<DateTimeOffset>> ByEmail)
{
    public const int Allowed = 5;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    public static SignInFailures None { get; } = new(ImmutableDictionary<string, ImmutableList<DateTimeOffset>>.Empty);

    public bool IsLockedOut(string email, DateTimeOffset now) =>
        ByEmail.TryGetValue(email, out var failures) && failures.Count(at => at > now - Window) >= Allowed;

    /// <summary>The failures after one more attempt; addresses with nothing recent are forgotten.</summary>
    public SignInFailures Record(string email, bool succeeded, DateTimeOffset now)
    {
        var recent = ByEmail
            .Select(e => KeyValuePair.Create(e.Key, e.Value.RemoveAll(at => at <= now - Window)))
            .Where(e => e.Value.Count > 0 && !(succeeded && e.Key == email));
        var kept = ImmutableDictionary.CreateRange(recent);
        return new SignInFailures(succeeded
            ? kept
            : kept.SetItem(email, kept.GetValueOrDefault(email, []).Add(now)));
    }
}
