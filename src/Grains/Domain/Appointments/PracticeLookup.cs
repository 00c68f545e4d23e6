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
}
