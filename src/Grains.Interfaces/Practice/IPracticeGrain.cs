using Orleans.Concurrency;

namespace MedSpa.Practice;

/// <summary>
/// The practice: its locations (each with the time zone its members are billed in) and its service catalogue.
/// One per deployment.
/// </summary>
public interface IPracticeGrain : IGrainWithStringKey
{
    const string Key = "practice";

    [ReadOnly]
    Task<PracticeCatalogue> GetCatalogueAsync();

    Task<Location> AddLocationAsync(NewLocation location);

    Task<Service> AddServiceAsync(NewService service);

    /// <summary>
    /// Replaces a location's opening hours, slot length and capacity. 404 <c>location_not_found</c>; 400
    /// <c>invalid_opening_hours</c>, <c>invalid_slot_length</c>, <c>invalid_capacity</c>.
    /// </summary>
    Task<Location> SetOpeningHoursAsync(string locationId, OpeningHours hours);

    /// <summary>Adds a plan id to <see cref="PracticeCatalogue.PlanIds"/>; registering it again changes nothing.</summary>
    Task RegisterPlanAsync(string planId);
}

[GenerateSerializer, Immutable]
public sealed record PracticeCatalogue(
    [property: Id(0)] IReadOnlyList<Location> Locations,
    [property: Id(1)] IReadOnlyList<Service> Services)
{
    /// <summary>Every plan the practice has created, so the tiers can be listed without a query over grain state.</summary>
    [Id(2)]
    public IReadOnlyList<string> PlanIds { get; init; } = [];
}

/// <summary>A clinic location; <see cref="TimeZone"/> is an IANA zone such as <c>America/New_York</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record Location(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string TimeZone,
    [property: Id(3)] string? Address)
{
    /// <summary>When the location takes appointments; null only in state written before hours existed (read as the default).</summary>
    [Id(4)]
    public OpeningHours? Hours { get; init; }
}

/// <summary>
/// A location's weekly opening hours in its own time zone (a weekday not listed is closed), the grid appointments
/// start on (<see cref="SlotMinutes"/>), and how many appointments may overlap at once (rooms and providers).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record OpeningHours(
    [property: Id(0)] IReadOnlyList<OpeningDay> Days,
    [property: Id(1)] int SlotMinutes = OpeningHours.DefaultSlotMinutes,
    [property: Id(2)] int Capacity = OpeningHours.DefaultCapacity)
{
    public const int DefaultSlotMinutes = 15;

    public const int DefaultCapacity = 2;

    /// <summary>Monday to Saturday, 09:00 to 18:00, 15-minute slots, two at a time.</summary>
    public static OpeningHours Default { get; } = new(
        new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday }
            .Select(day => new OpeningDay(day, new TimeOnly(9, 0), new TimeOnly(18, 0)))
            .ToArray());
}

/// <summary>One weekday's hours, local wall-clock time: open from <see cref="Opens"/> until <see cref="Closes"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record OpeningDay(
    [property: Id(0)] DayOfWeek Day,
    [property: Id(1)] TimeOnly Opens,
    [property: Id(2)] TimeOnly Closes);

[GenerateSerializer, Immutable]
public sealed record NewLocation(
    [property: Id(0)] string Name,
    [property: Id(1)] string TimeZone,
    [property: Id(2)] string? Address = null);

/// <summary>A treatment on the menu. <see cref="Category"/> groups services for credits and discounts (e.g. <c>neurotoxin</c>).</summary>
[GenerateSerializer, Immutable]
public sealed record Service(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Category,
    [property: Id(3)] Money Price,
    [property: Id(4)] int DurationMinutes);

[GenerateSerializer, Immutable]
public sealed record NewService(
    [property: Id(0)] string Name,
    [property: Id(1)] string Category,
    [property: Id(2)] Money Price,
    [property: Id(3)] int DurationMinutes);
