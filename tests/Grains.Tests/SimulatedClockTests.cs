using MedSpa.Grains.Clock;

namespace MedSpa.Grains.Tests;

public sealed class SimulatedClockTests
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(5);

    [Fact]
    public void Starts_at_real_time_and_moves_only_forward()
    {
        var clock = new SimulatedClock(TimeProvider.System);
        Assert.InRange(clock.GetUtcNow() - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(-1), TimeSpan.FromSeconds(1));

        clock.MoveTo(TimeSpan.FromDays(30));
        var afterJump = clock.GetUtcNow();
        Assert.InRange(afterJump - DateTimeOffset.UtcNow, TimeSpan.FromDays(30) - TimeSpan.FromSeconds(1), TimeSpan.FromDays(30) + TimeSpan.FromSeconds(1));

        clock.MoveTo(TimeSpan.FromDays(1));
        Assert.Equal(TimeSpan.FromDays(30), clock.Offset);
        Assert.True(clock.GetUtcNow() >= afterJump);
    }

    [Fact]
    public async Task A_jump_fires_the_timers_it_made_due_and_only_those()
    {
        var clock = new SimulatedClock(TimeProvider.System);
        var dueTomorrow = new TaskCompletionSource();
        var dueNextMonth = new TaskCompletionSource();
        using var tomorrow = clock.CreateTimer(_ => dueTomorrow.TrySetResult(), null, TimeSpan.FromDays(1), Timeout.InfiniteTimeSpan);
        using var nextMonth = clock.CreateTimer(_ => dueNextMonth.TrySetResult(), null, TimeSpan.FromDays(31), Timeout.InfiniteTimeSpan);

        clock.MoveTo(TimeSpan.FromDays(2));

        await dueTomorrow.Task.WaitAsync(Prompt);
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.False(dueNextMonth.Task.IsCompleted);
    }

    [Fact]
    public async Task A_delay_on_the_clock_ends_when_the_clock_passes_it()
    {
        var clock = new SimulatedClock(TimeProvider.System);
        var delay = Task.Delay(TimeSpan.FromDays(7), clock);

        clock.MoveTo(TimeSpan.FromDays(8));

        await delay.WaitAsync(Prompt);
    }

    [Fact]
    public void Elapsed_time_measured_on_the_clock_includes_a_jump()
    {
        var clock = new SimulatedClock(TimeProvider.System);
        var start = clock.GetTimestamp();

        clock.MoveTo(TimeSpan.FromDays(3));

        Assert.InRange(clock.GetElapsedTime(start), TimeSpan.FromDays(3), TimeSpan.FromDays(3) + TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_periodic_timer_does_not_replay_the_ticks_a_jump_skipped()
    {
        var clock = new SimulatedClock(TimeProvider.System);
        var ticks = 0;
        using var everyMinute = clock.CreateTimer(_ => Interlocked.Increment(ref ticks), null, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));

        clock.MoveTo(TimeSpan.FromDays(30));
        await Task.Delay(TimeSpan.FromMilliseconds(500));

        Assert.Equal(1, Volatile.Read(ref ticks));
    }

    [Fact]
    public async Task A_disposed_timer_never_fires()
    {
        var clock = new SimulatedClock(TimeProvider.System);
        var fired = false;
        var timer = clock.CreateTimer(_ => fired = true, null, TimeSpan.FromHours(1), Timeout.InfiniteTimeSpan);
        timer.Dispose();

        clock.MoveTo(TimeSpan.FromDays(1));
        await Task.Delay(TimeSpan.FromMilliseconds(300));

        Assert.False(fired);
    }
}
