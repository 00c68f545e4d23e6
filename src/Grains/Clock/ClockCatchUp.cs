namespace MedSpa.Grains.Clock;

/// <summary>
/// Brings this silo's clock up to an instant another silo has already reached. A simulated clock learns of an advance
/// by notification, and a notification can be lost (a busy silo, an observer the clock grain dropped); the billing
/// run therefore says which instant it is waking a member for, and the member's silo catches up before it asks the
/// domain what is due.
/// </summary>
public interface IClockCatchUp
{
    Task CatchUpAsync(DateTimeOffset instant);
}

/// <summary>A real clock is the same on every silo: there is nothing to catch up.</summary>
public sealed class RealClockCatchUp : IClockCatchUp
{
    public Task CatchUpAsync(DateTimeOffset instant) => Task.CompletedTask;
}
