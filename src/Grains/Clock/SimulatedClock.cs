using System.Runtime.CompilerServices;

namespace MedSpa.Grains.Clock;

/// <summary>
/// Real time plus an offset that only grows. Time keeps flowing between advances, so a demo feels alive; an
/// advance re-aims every pending timer at its simulated due instant, so a reminder or delay that the jump made
/// due fires at once instead of waiting out its real-time duration.
/// </summary>
public sealed class SimulatedClock(TimeProvider real) : TimeProvider
{
    private readonly ConditionalWeakTable<SimulatedTimer, object?> _timers = [];
    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => real.GetUtcNow() + Offset;

    public override long TimestampFrequency => real.TimestampFrequency;

    /// <summary>Elapsed-time measurements include the jumps too, or a delay woken by an advance would sleep again.</summary>
    public override long GetTimestamp() =>
        real.GetTimestamp() + (long)((Int128)Offset.Ticks * real.TimestampFrequency / TimeSpan.TicksPerSecond);

    /// <summary>Adopts the cluster's offset. A smaller offset than the current one is ignored: time never goes back.</summary>
    public void MoveTo(TimeSpan offset)
    {
        long current;
        do
        {
            current = Interlocked.Read(ref _offsetTicks);
            if (offset.Ticks <= current)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _offsetTicks, offset.Ticks, current) != current);

        foreach (var (timer, _) in _timers)
        {
            timer.Reaim();
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new SimulatedTimer(this, callback, state);
        _timers.Add(timer, null);
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class SimulatedTimer : ITimer
    {
        private static readonly TimeSpan MaxWait = TimeSpan.FromDays(1);

        private readonly SimulatedClock _clock;
        private readonly TimerCallback _callback;
        private readonly object? _state;
        private readonly Timer _real;
        private readonly Lock _gate = new();
        private DateTimeOffset? _dueAt;
        private TimeSpan _period = Timeout.InfiniteTimeSpan;
        private bool _disposed;

        public SimulatedTimer(SimulatedClock clock, TimerCallback callback, object? state)
        {
            _clock = clock;
            _callback = callback;
            _state = state;
            _real = new Timer(static s => ((SimulatedTimer)s!).Fire(), this, Timeout.Infinite, Timeout.Infinite);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (_gate)
            {
                if (_disposed)
                {
                    return false;
                }

                _period = period;
                _dueAt = dueTime == Timeout.InfiniteTimeSpan ? null : _clock.GetUtcNow() + dueTime;
                Schedule();
                return true;
            }
        }

        public void Reaim()
        {
            lock (_gate)
            {
                if (!_disposed)
                {
                    Schedule();
                }
            }
        }

        private void Fire()
        {
            lock (_gate)
            {
                if (_disposed || _dueAt is not { } dueAt)
                {
                    return;
                }

                // A real timer can wake a hair early relative to the simulated instant; wait for the rest.
                if (dueAt > _clock.GetUtcNow())
                {
                    Schedule();
                    return;
                }

                // Periodic timers do not replay ticks a jump skipped over: the next tick is one period from now.
                _dueAt = _period == Timeout.InfiniteTimeSpan ? null : _clock.GetUtcNow() + _period;
                Schedule();
            }

            _callback(_state);
        }

        private void Schedule()
        {
            if (_dueAt is not { } dueAt)
            {
                _real.Change(Timeout.Infinite, Timeout.Infinite);
                return;
            }

            // System timers cannot wait longer than ~49 days; a long wait wakes early and re-aims.
            var wait = TimeSpan.FromTicks(Math.Clamp((dueAt - _clock.GetUtcNow()).Ticks, 0, MaxWait.Ticks));
            _real.Change(wait, Timeout.InfiniteTimeSpan);
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _disposed = true;
                _dueAt = null;
            }

            _real.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
