namespace MedSpa.Billing;

/// <summary>
/// Wakes every member whose billing work is due, from the due index. One per deployment, so runs never overlap.
/// </summary>
public interface IBillingRunGrain : IGrainWithStringKey
{
    const string Key = "practice";

    /// <summary>
    /// Moves the simulated clock to <paramref name="target"/> through every due instant on the way, waking the members
    /// due at each before going further, so renewals, retries and suspensions happen in the order they would have.
    /// </summary>
    [ResponseTimeout("01:00:00")]
    Task<BillingRunReport> AdvanceClockToAsync(DateTimeOffset target);

    /// <summary>Wakes every member already due: the catch-up after an outage or a lost reminder.</summary>
    [ResponseTimeout("00:30:00")]
    Task<BillingRunReport> SweepAsync();
}

/// <summary>What a run did: the clock it ended at, how many wake-ups it made, and how many failed (left for the next sweep).</summary>
[GenerateSerializer, Immutable]
public sealed record BillingRunReport(
    [property: Id(0)] DateTimeOffset Now,
    [property: Id(1)] int Steps,
    [property: Id(2)] int Woken,
    [property: Id(3)] int Failed);
