using MedSpa.Domain.Billing;
using MedSpa.Settings;

namespace MedSpa.Domain.Settings;

/// <summary>The practice's run-time settings over the configured defaults.</summary>
public static class PracticeSettingsRules
{
    /// <summary>The settings as they may be stored: each section checked by the rule that will use it.</summary>
    public static PracticeSettings Validate(PracticeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.RetrySchedule is { } schedule)
        {
            _ = Policy(schedule);
        }

        return settings;
    }

    /// <summary>The schedule billing follows: the practice's when it set one, the configured one otherwise.</summary>
    public static RetrySchedule RetrySchedule(PracticeSettings settings, DunningPolicy configured) =>
        settings.RetrySchedule ?? new RetrySchedule([.. configured.RetryOffsets], configured.SuspendedFor);

    /// <summary>The dunning policy of a schedule; refuses one that is not positive and increasing.</summary>
    public static DunningPolicy Policy(RetrySchedule schedule) =>
        DunningPolicy.Create(schedule.RetryOffsets ?? throw Reject.Invalid("invalid_retry_schedule", "Give the retry offsets, or an empty list to suspend at once."), schedule.SuspendedFor);
}
