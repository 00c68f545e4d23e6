using System.Collections.Immutable;
using MedSpa.Grains.Plans;
using MedSpa.Plans;
using MedSpa.Tests;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace MedSpa.Grains.Tests;

/// <summary>A plan's roster sharded by member id, on PostgreSQL: never short, and what was stored before sharding still counts.</summary>
public sealed class PlanRosterTests : WithFreshDatabase
{
    [Fact]
    public async Task Every_member_who_joined_is_listed_once_however_often_they_joined()
    {
        await using var silo = await TestSilo.StartAsync(Database);
        var members = Enumerable.Range(0, 300).Select(i => $"mem_roster{i:D4}").ToList();

        await Task.WhenAll(members.Select(m => Roster(silo, "plan_gold").JoinAsync(m)));
        await Task.WhenAll(members.Take(50).Select(m => Roster(silo, "plan_gold").JoinAsync(m)));
        await Roster(silo, "plan_silver").JoinAsync("mem_elsewhere");

        Assert.Equal(members.Order(StringComparer.Ordinal), (await Roster(silo, "plan_gold").GetMembersAsync()).Order(StringComparer.Ordinal));
        Assert.Equal(["mem_elsewhere"], await Roster(silo, "plan_silver").GetMembersAsync());
        Assert.True(members.Select(m => IPlanRosterShardGrain.KeyOf("plan_gold", m)).Distinct().Count() > IPlanRosterShardGrain.Count / 2);
    }

    [Fact]
    public async Task The_roster_stored_before_sharding_is_still_read_beside_the_slices()
    {
        await using (var before = await TestSilo.StartAsync(Database))
        {
            var storage = before.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Practice);
            await storage.WriteStateAsync("plan-roster", GrainId.Create("planroster", "plan_gold"),
                new GrainState<PlanRosterState>(new PlanRosterState { Members = ["mem_old1", "mem_old2", "mem_both"] }));
        }

        await using var silo = await TestSilo.StartAsync(Database);
        await Roster(silo, "plan_gold").JoinAsync("mem_new");
        await Roster(silo, "plan_gold").JoinAsync("mem_both");

        Assert.Equal(["mem_both", "mem_new", "mem_old1", "mem_old2"], (await Roster(silo, "plan_gold").GetMembersAsync()).Order(StringComparer.Ordinal));
    }

    private static IPlanRosterGrain Roster(TestSilo silo, string planId) => silo.Grains.GetGrain<IPlanRosterGrain>(planId);
}
