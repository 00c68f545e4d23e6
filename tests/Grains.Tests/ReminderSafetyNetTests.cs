using MedSpa.Clock;
using MedSpa.Members;
using MedSpa.Tests;

namespace MedSpa.Grains.Tests;

/// <summary>
/// The billing sweep wakes members from the due index when they fall due; a member's own reminder is the net under it,
/// firing a quarter of an hour later, so it does not queue for Stripe beside the run but still finds a member the
/// index lost.
/// </summary>
public sealed class ReminderSafetyNetTests : WithFreshDatabase
{
    [Fact]
    public async Task A_member_the_due_index_lost_is_renewed_by_their_reminder_a_quarter_of_an_hour_after_the_due_instant()
    {
        await using var silo = await TestSilo.StartAsync(Database);
        var clinic = await Clinic.OpenAsync(silo);
        var id = await clinic.CardMemberAsync("Net", "Below");
        var member = silo.Grains.GetGrain<IMemberGrain>(id);
        Assert.Single(await member.GetChargeAttemptsAsync());

        var due = new DateTimeOffset(await Database.ScalarAsync<DateTime>($"SELECT due_at FROM member_due WHERE member_id = '{id}'"), TimeSpan.Zero);
        await Database.ExecuteAsync($"DELETE FROM member_due WHERE member_id = '{id}'");
        var clock = silo.Grains.GetGrain<IClockGrain>(IClockGrain.Key);

        // Past the due instant: nothing wakes the member, the index having lost them and the reminder not due yet.
        await clock.AdvanceToAsync(due.AddSeconds(-1));
        await Eventually.Until(async () => (await clock.GetAsync()).Now, now => now > due.AddSeconds(3), TimeSpan.FromSeconds(30), "real time to carry the clock past the due instant");
        Assert.Single(await member.GetChargeAttemptsAsync());

        // A jump past a tick skips it (Orleans never replays missed ticks), so stop short and let real time reach it.
        await clock.AdvanceToAsync(due.AddMinutes(15).AddSeconds(-2));
        var attempts = await Eventually.Until(member.GetChargeAttemptsAsync, a => a.Count == 2, TimeSpan.FromSeconds(30),
            "the reminder to renew the member a quarter of an hour after the due instant");

        Assert.True(attempts[^1].AttemptedAt >= due.AddMinutes(15), $"renewed at {attempts[^1].AttemptedAt:O}, before the net's time");
        Assert.True(await Database.ScalarAsync<bool>($"SELECT due_at > '{due.UtcDateTime:O}' FROM member_due WHERE member_id = '{id}'"),
            "the renewed member is back in the due index, at their next billing date");
    }
}
