using MedSpa.Clock;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Utilities;

namespace MedSpa.Grains.Clock;

[GenerateSerializer]
public sealed record ClockState
{
    [Id(0)] public bool Started { get; init; }

    /// <summary>How far simulated time runs ahead of real time.</summary>
    [Id(1)] public TimeSpan Offset { get; init; }
}

/// <summary>
/// Holds the deployment's simulated offset durably (a restarted practice resumes at its simulated date) and tells
/// every silo when it moves.
/// </summary>
public sealed class ClockGrain(
    [PersistentState("clock", StorageNames.Practice)] IPersistentState<ClockState> state,
    TimeProvider clock,
    IOptions<ClockOptions> options,
    ILogger<ClockGrain> logger) : Grain, IClockGrain
{
    private readonly ObserverManager<IClockObserver> _silos = new(TimeSpan.FromMinutes(5), logger);

    private ClockMode Mode => options.Value.Mode;

    private DateTimeOffset RealNow => clock.GetUtcNow() - (clock is SimulatedClock simulated ? simulated.Offset : TimeSpan.Zero);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Mode == ClockMode.Simulated && !state.State.Started)
        {
            var offset = options.Value.Start is { } start ? start - RealNow : TimeSpan.Zero;
            await state.SaveAsync(new ClockState { Started = true, Offset = offset < TimeSpan.Zero ? TimeSpan.Zero : offset }, cancellationToken);
        }
    }

    public Task<ClockReading> GetAsync() => Task.FromResult(Reading());

    public async Task<ClockReading> AdvanceToAsync(DateTimeOffset target)
    {
        if (Mode != ClockMode.Simulated)
        {
            throw new CommandRejectedException(RejectionKind.NotFound, "clock_not_simulated", "The clock is real; it cannot be moved.");
        }

        var current = Reading();
        if (target <= current.Now)
        {
            throw new CommandRejectedException(
                RejectionKind.Invalid, "clock_cannot_go_back", $"Simulated time is already {current.Now:O}; it only moves forward.");
        }

        await state.SaveAsync(state.State with { Offset = target - RealNow });
        logger.LogInformation("Simulated clock advanced from {From} to {To}", current.Now, target);

        await _silos.Notify(silo => silo.OnOffsetChangedAsync(state.State.Offset));
        return Reading();
    }

    public Task SubscribeAsync(IClockObserver observer)
    {
        _silos.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    private ClockReading Reading() => Mode == ClockMode.Simulated
        ? new ClockReading(RealNow + state.State.Offset, state.State.Offset, Mode)
        : new ClockReading(clock.GetUtcNow(), TimeSpan.Zero, Mode);
}
