using System.Globalization;
using MedSpa.Domain.Members;
using MedSpa.Live;
using MedSpa.Practice;

namespace MedSpa.Domain.Live;

/// <summary>What the dashboards show of a member, and whether a change is worth telling them about.</summary>
public static class MemberSnapshots
{
    /// <summary>
    /// The member as a dashboard shows them at <paramref name="now"/>, as of event <paramref name="version"/>;
    /// null before they are registered. <paramref name="services"/> names the balances.
    /// </summary>
    public static MemberSnapshot? Of(string memberId, long version, Member member, IReadOnlyList<Service> services, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(member);
        ArgumentNullException.ThrowIfNull(services);
        if (member.Profile is not { } profile)
        {
            return null;
        }

        var credits = member.CreditsView(memberId, now);
        var benefits = credits.Balances
            .Select(b => new BenefitSnapshot(
                b.BenefitKey,
                Label(b.BenefitKey, services),
                b.Kind,
                b.Balance,
                b.Currency,
                b.Lots.Where(l => l.Remaining > 0 && l.ExpiresAt is not null).Min(l => l.ExpiresAt)))
            .ToArray();
        return new MemberSnapshot(memberId, version, profile.HomeLocationId, profile.FullName, member.Status,
            member.Enrolment?.Plan.Terms.Name, credits.Frozen, benefits);
    }

    /// <summary>
    /// Whether a dashboard would show <paramref name="after"/> differently from <paramref name="before"/> (a balance,
    /// an expiry, the status, the plan, the name or the home location). Bookkeeping (a notice sent, a charge attempt
    /// started) moves none of them and is not pushed.
    /// </summary>
    public static bool Differ(Member before, Member after, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        // Labels come from the catalogue, which no member event changes: compare without it.
        var was = Of("", 0, before, [], now);
        var @is = Of("", 0, after, [], now);
        if (was is null || @is is null)
        {
            return was is not null || @is is not null;
        }

        return was with { Benefits = [] } != @is with { Benefits = [] } || !was.Benefits.SequenceEqual(@is.Benefits);
    }

    /// <summary>"Botox" (a service's units), "Neurotoxin" (a category's), "Facial credit", "HydraFacial package".</summary>
    public static string Label(string benefitKey, IReadOnlyList<Service> services)
    {
        ArgumentNullException.ThrowIfNull(benefitKey);
        var colon = benefitKey.IndexOf(':', StringComparison.Ordinal);
        var (kind, target) = colon < 0 ? ("", benefitKey) : (benefitKey[..colon], benefitKey[(colon + 1)..]);
        var name = services?.FirstOrDefault(s => s.Id == target)?.Name ?? Capitalised(target);
        return kind switch
        {
            "dollars" => $"{name} credit",
            "package" => $"{name} package",
            _ => name,
        };
    }

    private static string Capitalised(string category) =>
        category.Length == 0 ? category : char.ToUpper(category[0], CultureInfo.InvariantCulture) + category[1..].Replace('_', ' ');
}
