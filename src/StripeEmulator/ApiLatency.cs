namespace MedSpa.StripeEmulator;

/// <summary>
/// How long every <c>/v1</c> call takes before it is answered, 429s included: the network and Stripe's own work, which
/// decide how many calls a client must keep in flight to use its rate limit. Zero (the default): answered at once.
/// </summary>
public sealed class ApiLatency(TimeSpan latency)
{
    private long _ticks = Validate(latency).Ticks;

    public TimeSpan Value => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

    public void Configure(TimeSpan latency) => Interlocked.Exchange(ref _ticks, Validate(latency).Ticks);

    public Task WaitAsync(CancellationToken cancellationToken) =>
        Value is { Ticks: > 0 } delay ? Task.Delay(delay, cancellationToken) : Task.CompletedTask;

    private static TimeSpan Validate(TimeSpan latency) =>
        latency >= TimeSpan.Zero ? latency : throw new ArgumentOutOfRangeException(nameof(latency), latency, "Latency cannot be negative.");
}
