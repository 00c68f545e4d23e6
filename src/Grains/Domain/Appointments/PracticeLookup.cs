using MedSpa.Practice;

namespace MedSpa.Domain.Appointments;

/// <summary>The location and the service an appointment names, from the practice's catalogue.</summary>
public static class PracticeLookup
{
    public static Location Location(PracticeCatalogue catalogue, string? locationId) =>
        catalogue.Locations.FirstOrDefault(l => l.Id == locationId)
            ?? throw Reject.NotFound("location_not_found", $"There is no location \"{locationId}\".");

    public static Service Service(PracticeCatalogue catalogue, string? serviceId) =>
        catalogue.Services.FirstOrDefault(s => s.Id == serviceId)
            ?? throw Reject.Invalid("unknown_service", $"There is no service \"{serviceId}\" on the menu.");

    /// <summary>The key of the grain holding a location's book for a local date: <c>{locationId}:{yyyy-MM-dd}</c>.</summary>
    public static string DayKey(string locationId, DateOnly date) => $"{locationId}:{date:yyyy-MM-dd}";

    public static (string LocationId, DateOnly Date) ParseDayKey(string key)
    {
        var split = key.LastIndexOf(':');
        return (key[..split], DateOnly.ParseExact(key[(split + 1)..], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
    }
}
