using System.Collections.Immutable;
using MedSpa.Domain;
using MedSpa.Domain.Appointments;
using MedSpa.Domain.Practice;
using MedSpa.Practice;

namespace MedSpa.Grains.Practice;

[GenerateSerializer]
public sealed record PracticeState
{
    [Id(0)] public ImmutableList<Location> Locations { get; init; } = [];

    [Id(1)] public ImmutableList<Service> Services { get; init; } = [];

    [Id(2)] public ImmutableList<string> PlanIds { get; init; } = [];
}

public sealed class PracticeGrain(
    [PersistentState("practice", StorageNames.Practice)] IPersistentState<PracticeState> state,
    TimeProvider clock) : Grain, IPracticeGrain
{
    private Catalogue Catalogue => new(state.State.Locations, state.State.Services);

    // A location saved before opening hours existed (or added without them) opens at the default hours.
    public Task<PracticeCatalogue> GetCatalogueAsync() =>
        Task.FromResult(new PracticeCatalogue(state.State.Locations.ConvertAll(l => l with { Hours = l.Hours ?? OpeningHours.Default }), state.State.Services)
        {
            PlanIds = state.State.PlanIds,
        });

    public async Task<Location> SetOpeningHoursAsync(string locationId, OpeningHours hours)
    {
        var location = state.State.Locations.Find(l => l.Id == locationId)
            ?? throw Reject.NotFound("location_not_found", "There is no location with this id.");
        var changed = location with { Hours = OpeningHoursRules.Require(hours) };
        await state.SaveAsync(state.State with { Locations = state.State.Locations.Replace(location, changed) });
        return changed;
    }

    public async Task<Location> AddLocationAsync(NewLocation location)
    {
        var added = Catalogue.NewLocation(location, clock.GetUtcNow());
        await SaveAsync(Catalogue.Add(added));
        return added;
    }

    public async Task<Service> AddServiceAsync(NewService service)
    {
        var added = Catalogue.NewService(service, clock.GetUtcNow());
        await SaveAsync(Catalogue.Add(added));
        return added;
    }

    public async Task RegisterPlanAsync(string planId)
    {
        if (!state.State.PlanIds.Contains(planId))
        {
            await state.SaveAsync(state.State with { PlanIds = state.State.PlanIds.Add(planId) });
        }
    }

    private Task SaveAsync(Catalogue catalogue) =>
        state.SaveAsync(state.State with { Locations = catalogue.Locations, Services = catalogue.Services });
}
