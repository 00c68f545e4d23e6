using MedSpa.Domain.Billing;
using MedSpa.Domain.Settings;
using MedSpa.Settings;

namespace MedSpa.Grains.Settings;

[GenerateSerializer]
public sealed record PracticeSettingsState
{
    [Id(0)] public PracticeSettings Settings { get; init; } = new();
}

/// <summary>The configured policy is injected so the grain can answer the schedule in force whether or not one was set.</summary>
public sealed class PracticeSettingsGrain(
    [PersistentState("practiceSettings", StorageNames.Practice)] IPersistentState<PracticeSettingsState> state,
    DunningPolicy configured) : Grain, IPracticeSettingsGrain
{
    public Task<PracticeSettings> GetAsync() => Task.FromResult(state.State.Settings);

    public Task<RetrySchedule> GetRetryScheduleAsync() => Task.FromResult(PracticeSettingsRules.RetrySchedule(state.State.Settings, configured));

    public async Task<PracticeSettings> UpdateAsync(PracticeSettings settings)
    {
        var valid = PracticeSettingsRules.Validate(settings);
        if (valid != state.State.Settings)
        {
            await state.SaveAsync(state.State with { Settings = valid });
        }

        return valid;
    }
}
