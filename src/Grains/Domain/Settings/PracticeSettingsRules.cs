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
        settings.RetrySchedule is { } own
            ? own with { FirstPaymentLapseDays = own.FirstPaymentLapseDays ?? (int)configured.FirstPaymentLapse.TotalDays }
            : new RetrySchedule([.. configured.RetryOffsets], configured.SuspendedFor, (int)configured.FirstPaymentLapse.TotalDays);

    /// <summary>The dunning policy of a schedule; refuses one that is not positive and increasing.</summary>
    public static DunningPolicy Policy(RetrySchedule schedule) =>
        DunningPolicy.Create(
            schedule.RetryOffsets ?? throw Reject.Invalid("invalid_retry_schedule", "Give the retry offsets, or an empty list to suspend at once."),
            schedule.SuspendedFor,
            schedule.FirstPaymentLapseDays is { } days ? LapseDays(days) : null);

    /// <summary>Days as the settings give them, refused the same way as a lapse the policy would refuse.</summary>
    private static TimeSpan LapseDays(int days) => days is >= 1 and <= DunningPolicy.MaxFirstPaymentLapseDays
        ? TimeSpan.FromDays(days)
        : throw Reject.Invalid("invalid_first_payment_lapse", $"A first payment is chased for 1 to {DunningPolicy.MaxFirstPaymentLapseDays} whole days before the enrolment lapses.");
}
