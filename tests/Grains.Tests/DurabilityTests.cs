using MedSpa.Clock;
using MedSpa.Tests;
using MedSpa.Tests.Probes;

namespace MedSpa.Grains.Tests;

/// <summary>State and reminders go through Orleans' ADO.NET providers into PostgreSQL and outlive the cluster.</summary>
public sealed class DurabilityTests : WithFreshDatabase
{
    [Fact]
    public async Task State_and_reminders_survive_a_full_cluster_restart()
    {
        string firstSilo;
        await using (var silo = await TestSilo.StartAsync(Database))
        {
            var probe = silo.Grains.GetGrain<IProbeGrain>("restart");
            await probe.SetNoteAsync("written before the restart");
            await probe.ArmReminderAsync(due: TimeSpan.FromSeconds(2), period: TimeSpan.FromSeconds(2));
            firstSilo = (await probe.IdentifyAsync()).Silo;
        }

        await using (var silo = await TestSilo.StartAsync(Database))
        {
            var probe = silo.Grains.GetGrain<IProbeGrain>("restart");
            var secondSilo = (await probe.IdentifyAsync()).Silo;
            Assert.NotEqual(firstSilo, secondSilo);
            Assert.Equal("written before the restart", (await probe.GetStateAsync()).Note);

            await Eventually.Until(probe.GetStateAsync, s => s.Ticks.Any(t => t.Silo == secondSilo),
                TimeSpan.FromSeconds(60), "the reminder registered before the restart to fire on the new silo");
            await probe.DisarmReminderAsync();
        }
    }

    /// <remarks>
    /// A jump that passes a tick entirely skips it (Orleans never replays missed ticks, simulated or real), which
    /// is why due work is found through the due index rather than trusted to reminders alone.
    /// </remarks>
    [Fact]
    public async Task A_reminder_fires_when_simulated_time_reaches_it()
    {
        await using var silo = await TestSilo.StartAsync(Database);
        var probe = silo.Grains.GetGrain<IProbeGrain>("tomorrow");
        var clock = silo.Grains.GetGrain<IClockGrain>(IClockGrain.Key);
        var armedAt = (await clock.GetAsync()).Now;
        await probe.ArmReminderAsync(due: TimeSpan.FromDays(1), period: TimeSpan.FromDays(30));

        await clock.AdvanceToAsync(armedAt.AddDays(1).AddSeconds(-3));

        var state = await Eventually.Until(probe.GetStateAsync, s => s.Ticks.Count > 0,
            TimeSpan.FromSeconds(30), "the reminder due a day later to fire once the clock was moved to three seconds before it");
        Assert.True(state.Ticks[0].At >= armedAt.AddDays(1), $"the tick at {state.Ticks[0].At:O} happened at simulated time, a day after {armedAt:O}");
        Assert.Single(state.Ticks);
    }
}
