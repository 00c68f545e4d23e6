namespace MedSpa.Clock;

/// <summary>
/// The practice's simulated clock, shared by every silo. It only exists to move time forward in demos and
/// tests; with a real clock it refuses to move.
/// </summary>
public interface IClockGrain : IGrainWithStringKey
{
    /// <summary>The single clock of the deployment.</summary>
    const string Key = "practice";

    Task<ClockReading> GetAsync();

    /// <summary>Moves simulated time to <paramref name="target"/>; time never goes back.</summary>
    Task<ClockReading> AdvanceToAsync(DateTimeOffset target);

    /// <summary>Silos subscribe so that every one of them applies an advance at once.</summary>
    Task SubscribeAsync(IClockObserver observer);
}

public interface IClockObserver : IGrainObserver
{
    Task OnOffsetChangedAsync(TimeSpan offset);
}

/// <summary>What the clock says: simulated now, and how far ahead of real time it runs.</summary>
[GenerateSerializer, Immutable]
public sealed record ClockReading(
    [property: Id(0)] DateTimeOffset Now,
    [property: Id(1)] TimeSpan Offset,
    [property: Id(2)] ClockMode Mode);

[GenerateSerializer]
public enum ClockMode
{
    Real = 0,
    Simulated = 1,
}

/// <summary>Configuration section <c>Clock</c>, read by the silo (which clock to install) and the web (whether
/// the admin clock endpoints exist).</summary>
public sealed class ClockOptions
{
    public const string Section = "Clock";

    public ClockMode Mode { get; set; } = ClockMode.Real;

    /// <summary>Where a fresh simulated clock starts; omitted, it starts at real now.</summary>
    public DateTimeOffset? Start { get; set; }
}
