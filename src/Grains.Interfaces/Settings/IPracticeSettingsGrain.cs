using Orleans.Concurrency;

namespace MedSpa.Settings;

/// <summary>
/// What the practice has decided at run time instead of the silo's configuration. One per deployment. A section left
/// null follows the configuration (<c>Billing:*</c>), so a fresh deployment behaves as configured until someone
/// changes it.
/// </summary>
public interface IPracticeSettingsGrain : IGrainWithStringKey
{
    const string Key = "practice";

    /// <summary>The settings as the practice set them; null sections follow the configuration.</summary>
    [ReadOnly]
    Task<PracticeSettings> GetAsync();

    /// <summary>The retry schedule billing uses from now on: the practice's own, or the configured one.</summary>
    [ReadOnly]
    Task<RetrySchedule> GetRetryScheduleAsync();

    /// <summary>
    /// Replaces the settings. 400 <c>invalid_retry_schedule</c> / <c>invalid_suspension_period</c> /
    /// <c>invalid_first_payment_lapse</c>, changing nothing.
    /// </summary>
    Task<PracticeSettings> UpdateAsync(PracticeSettings settings);
}

/// <summary>The body of <c>PUT /api/v1/settings</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record PracticeSettings([property: Id(0)] RetrySchedule? RetrySchedule = null);

/// <summary>
/// How a failed subscription charge is chased: retries at <see cref="RetryOffsets"/> from the first failure (increasing;
/// empty suspends at once), then a suspension of <see cref="SuspendedFor"/> before the membership is cancelled. A first
/// payment is retried on the same offsets and the enrolment lapses <see cref="FirstPaymentLapseDays"/> days (1 to 27;
/// unset, 7) after it first failed.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RetrySchedule(
    [property: Id(0)] IReadOnlyList<TimeSpan> RetryOffsets,
    [property: Id(1)] TimeSpan SuspendedFor,
    [property: Id(2)] int? FirstPaymentLapseDays = null);
