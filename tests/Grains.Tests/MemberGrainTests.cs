using MedSpa.Grains.Members;
using MedSpa.Members;
using MedSpa.Tests;
using Npgsql;

namespace MedSpa.Grains.Tests;

/// <summary>The member grain on PostgreSQL: its state is its event log, and the log cannot fork.</summary>
public sealed class MemberGrainTests : WithFreshDatabase
{
    [Fact]
    public async Task A_member_is_rebuilt_from_their_events_after_a_full_restart()
    {
        string id;
        MembershipView membership;
        CreditsView credits;
        await using (var silo = await TestSilo.StartAsync(Database))
        {
            var clinic = await Clinic.OpenAsync(silo);
            id = await clinic.ActiveMemberAsync();
            var member = silo.Grains.GetGrain<IMemberGrain>(id);
            await member.RedeemAsync(new RedemptionRequest("red_1", Clinic.NeurotoxinKey, 1));
            membership = await member.GetMembershipAsync();
            credits = await member.GetCreditsAsync();
        }

        await using (var silo = await TestSilo.StartAsync(Database))
        {
            var member = silo.Grains.GetGrain<IMemberGrain>(id);

            Assert.Equal(membership, await member.GetMembershipAsync());
            var after = await member.GetCreditsAsync();
            Assert.Equal(
                credits.Balances.Select(b => (b.BenefitKey, b.Balance, b.Redeemed)),
                after.Balances.Select(b => (b.BenefitKey, b.Balance, b.Redeemed)));
            Assert.Equal(MembershipStatus.Active, (await member.GetMembershipAsync()).Status);
        }
    }

    [Fact]
    public async Task A_command_that_loses_the_race_to_another_writer_records_nothing_and_the_next_one_sees_both()
    {
        await using var silo = await TestSilo.StartAsync(Database);
        var clinic = await Clinic.OpenAsync(silo);
        var id = await clinic.ActiveMemberAsync();
        var member = silo.Grains.GetGrain<IMemberGrain>(id);
        var before = (await member.GetEventsAsync()).Count;

        // Another writer (a duplicate activation during a partition, say) appends behind this activation's back.
        await AppendBehindTheGrainsBackAsync(id, before + 1, new CreditsAdjusted(
            "adj_elsewhere", Clinic.NeurotoxinKey, MedSpa.Plans.BenefitKind.TreatmentUnits, 2, "Recorded elsewhere", "lot_9", null, []) { OccurredAt = DateTimeOffset.UnixEpoch });

        var refused = await Assert.ThrowsAsync<CommandRejectedException>(() =>
            member.RedeemAsync(new RedemptionRequest("red_race", Clinic.NeurotoxinKey, 1)));
        Assert.Equal("concurrent_update", refused.Code);
        Assert.Equal(before + 1, (await member.GetEventsAsync()).Count);

        await member.RedeemAsync(new RedemptionRequest("red_race", Clinic.NeurotoxinKey, 1));
        var balance = (await member.GetCreditsAsync()).Balances.Single(b => b.BenefitKey == Clinic.NeurotoxinKey);
        Assert.Equal(1 + 2 - 1, balance.Balance);
        Assert.Equal(before + 2, (await member.GetEventsAsync()).Count);
    }

    private async Task AppendBehindTheGrainsBackAsync(string memberId, long seq, MemberEvent e)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var insert = new NpgsqlCommand(
            "INSERT INTO member_events (member_id, seq, event_type, payload, occurred_at) VALUES ($1, $2, $3, $4::jsonb, now())", connection);
        insert.Parameters.Add(new NpgsqlParameter { Value = memberId });
        insert.Parameters.Add(new NpgsqlParameter { Value = seq });
        insert.Parameters.Add(new NpgsqlParameter { Value = MemberEventJson.TypeOf(e) });
        insert.Parameters.Add(new NpgsqlParameter { Value = MemberEventJson.Serialize(e) });
        await insert.ExecuteNonQueryAsync();
    }
}
