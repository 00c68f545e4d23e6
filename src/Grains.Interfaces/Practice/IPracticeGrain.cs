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
    [property: Id(3)] string? Address);

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
