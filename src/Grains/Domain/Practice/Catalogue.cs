using System.Collections.Immutable;
using System.Text.RegularExpressions;
using MedSpa.Practice;

namespace MedSpa.Domain.Practice;

/// <summary>The practice's locations and service menu, and the rules for adding to them.</summary>
public sealed partial record Catalogue(ImmutableList<Location> Locations, ImmutableList<Service> Services)
{
    public const int MaxNameLength = 100;

    public static Catalogue Empty { get; } = new([], []);

    public Catalogue Add(Location location) => this with { Locations = Locations.Add(location) };

    public Catalogue Add(Service service) => this with { Services = Services.Add(service) };

    public Location NewLocation(NewLocation request, DateTimeOffset now)
    {
        var name = RequireName(request.Name, "location");
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(request.TimeZone ?? "", out var zone) || !zone.HasIanaId)
        {
            throw Reject.Invalid("invalid_time_zone", $"\"{request.TimeZone}\" is not an IANA time zone such as America/New_York.");
        }

        if (Locations.Any(l => string.Equals(l.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            throw Reject.Conflict("location_exists", $"There is already a location named \"{name}\".");
        }

        var address = request.Address?.Trim();
        return new Location(Identifiers.New("loc", now), name, zone.Id, string.IsNullOrEmpty(address) ? null : address);
    }

    public Service NewService(NewService request, DateTimeOffset now)
    {
        var name = RequireName(request.Name, "service");
        var category = request.Category?.Trim().ToLowerInvariant() ?? "";
        if (!CategoryPattern().IsMatch(category))
        {
            throw Reject.Invalid("invalid_category", "A category is a short lower-case word or slug, such as neurotoxin or laser-hair-removal.");
        }

        var price = Prices.Require(request.Price);
        if (request.DurationMinutes is < 5 or > 600)
        {
            throw Reject.Invalid("invalid_duration", "A service lasts between 5 and 600 minutes.");
        }

        if (Services.Any(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            throw Reject.Conflict("service_exists", $"There is already a service named \"{name}\".");
        }

        return new Service(Identifiers.New("svc", now), name, category, price, request.DurationMinutes);
    }

    private static string RequireName(string? name, string what)
    {
        var trimmed = name?.Trim() ?? "";
        return trimmed.Length is > 0 and <= MaxNameLength
            ? trimmed
            : throw Reject.Invalid("invalid_name", $"A {what} needs a name of 1 to {MaxNameLength} characters.");
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{0,39}$")]
    private static partial Regex CategoryPattern();
}
