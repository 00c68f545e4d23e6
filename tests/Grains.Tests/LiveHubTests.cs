using System.Collections.Concurrent;
using System.Diagnostics;
using MedSpa.Live;
using MedSpa.Members;
using MedSpa.Tests;

namespace MedSpa.Grains.Tests;

/// <summary>
/// The fan-out from member grains to web nodes: a change reaches every subscribed node as a snapshot, a node that is
/// slow, failing or dead never holds a member's command back, and a node that stops renewing is dropped.
/// </summary>
public sealed class LiveHubTests : WithFreshDatabase
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_redemption_pushes_a_snapshot_with_the_new_balance_to_a_subscribed_node()
    {
        await using var silo = await TestSilo.StartAsync(Database);
        var clinic = await Clinic.OpenAsync(silo);
        var id = await clinic.ActiveMemberAsync("Lena", "Live");
        var node = new RecordingNode();
        await Hub(silo).SubscribeAsync(silo.Grains.CreateObjectReference<ILiveNode>(node));
        var member = silo.Grains.GetGrain<IMemberGrain>(id);

        await member.RedeemAsync(new RedemptionRequest("red_live", Clinic.NeurotoxinKey, 1));

        var version = (await member.GetEventsAsync()).Count;
        var pushed = await node.WaitForAsync(s => s.MemberId == id && s.Version == version);
        Assert.Equal(("Lena Live", MembershipStatus.Active, "Premium", clinic.LocationId), (pushed.DisplayName, pushed.Status, pushed.PlanName, pushed.HomeLocationId));
        var neurotoxin = pushed.Benefits.Single(b => b.Key == Clinic.NeurotoxinKey);
        Assert.Equal((0L, (string?)null, "Neurotoxin"), (neurotoxin.Remaining, neurotoxin.Currency, neurotoxin.Label));
        var facial = pushed.Benefits.Single(b => b.Key == Clinic.FacialCreditKey);
        // Premium's credits roll over: nothing of them lapses.
        Assert.Equal((5_000L, "usd", "Facial credit", (DateTimeOffset?)null), (facial.Remaining, facial.Currency, facial.Label, facial.SoonestExpiry));

        // An add-on's lot lapses after 90 days: its expiry is the balance's soonest.
        await member.PurchaseAddOnAsync(new AddOnPurchaseRequest("buy_live", "extra-neurotoxin", PaymentMethodKind.CardTerminal));
        var lot = (await member.GetCreditsAsync()).Balances.Single(b => b.BenefitKey == Clinic.NeurotoxinKey).Lots.Single();
        var boughtVersion = (await member.GetEventsAsync()).Count;
        var bought = await node.WaitForAsync(s => s.Version == boughtVersion);
        var topped = bought.Benefits.Single(b => b.Key == Clinic.NeurotoxinKey);
        Assert.Equal((1L, lot.ExpiresAt), (topped.Remaining, topped.SoonestExpiry));
        Assert.NotNull(lot.ExpiresAt);

        // The push is the snapshot a page would read itself.
        var read = await silo.Grains.GetGrain<ILiveMemberGrain>(id).GetSnapshotAsync();
        Assert.Equal(read with { Benefits = [] }, bought with { Benefits = [] });
        Assert.Equal(read.Benefits, bought.Benefits);
    }

    [Fact]
    public async Task A_failing_or_slow_node_never_fails_or_delays_the_members_command()
    {
        await using var silo = await TestSilo.StartAsync(Database);
        var clinic = await Clinic.OpenAsync(silo);
        var id = await clinic.ActiveMemberAsync();
        var failing = new RecordingNode(_ => throw new InvalidOperationException("This node is broken."));
        var slow = new RecordingNode(_ => Task.Delay(TimeSpan.FromSeconds(20)));
        var healthy = new RecordingNode();
        foreach (var node in new[] { failing, slow, healthy })
        {
            await Hub(silo).SubscribeAsync(silo.Grains.CreateObjectReference<ILiveNode>(node));
        }

        var member = silo.Grains.GetGrain<IMemberGrain>(id);
        var elapsed = Stopwatch.StartNew();
        for (var i = 1; i <= 3; i++)
        {
            var credits = await member.AdjustCreditsAsync(new CreditAdjustmentRequest($"adj_{i}", Clinic.NeurotoxinKey, 1, "Goodwill"));
            Assert.Equal(1 + i, credits.Balances.Single(b => b.BenefitKey == Clinic.NeurotoxinKey).Balance);
        }

        elapsed.Stop();
        // Waiting on the slow node even once would take 20 seconds.
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(10), $"three adjustments took {elapsed.Elapsed}");
        var version = (await member.GetEventsAsync()).Count;
        var last = await healthy.WaitForAsync(s => s.MemberId == id && s.Version == version);
        Assert.Equal(4, last.Benefits.Single(b => b.Key == Clinic.NeurotoxinKey).Remaining);
        // The broken node was called and is still on the list: a failure tells nothing about the node's health.
        await failing.WaitForAsync(s => s.Version == version);
    }

    [Fact]
    public async Task A_node_that_stops_renewing_expires_while_one_that_renews_keeps_receiving()
    {
        await using var silo = await TestSilo.StartAsync(Database, new Dictionary<string, string?>
        {
            ["Live:NodeExpiry"] = "00:00:02",
            ["Live:NodeRenewal"] = "00:00:00.500",
        });
        var clinic = await Clinic.OpenAsync(silo);
        var id = await clinic.ActiveMemberAsync();
        var member = silo.Grains.GetGrain<IMemberGrain>(id);
        var dead = new RecordingNode();
        var alive = new RecordingNode();
        var aliveReference = silo.Grains.CreateObjectReference<ILiveNode>(alive);
        await Hub(silo).SubscribeAsync(silo.Grains.CreateObjectReference<ILiveNode>(dead));
        await Hub(silo).SubscribeAsync(aliveReference);

        await member.AdjustCreditsAsync(new CreditAdjustmentRequest("adj_before", Clinic.NeurotoxinKey, 1, "Goodwill"));
        var before = (await member.GetEventsAsync()).Count;
        await dead.WaitForAsync(s => s.Version == before);
        await alive.WaitForAsync(s => s.Version == before);

        // Only one node renews; the other has gone without a word, as a killed process would.
        for (var i = 0; i < 8; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            await Hub(silo).SubscribeAsync(aliveReference);
        }

        await member.AdjustCreditsAsync(new CreditAdjustmentRequest("adj_after", Clinic.NeurotoxinKey, 1, "Goodwill"));
        var after = (await member.GetEventsAsync()).Count;
        await alive.WaitForAsync(s => s.Version == after);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.DoesNotContain(dead.Received, s => s.Version == after);
    }

    private static ILiveHubGrain Hub(TestSilo silo) => silo.Grains.GetGrain<ILiveHubGrain>(ILiveHubGrain.Key);

    /// <summary>A web node as the hub-list grain sees one, recording what it is pushed; optionally slow or broken.</summary>
    private sealed class RecordingNode(Func<MemberSnapshot, Task>? behaviour = null) : ILiveNode
    {
        private readonly ConcurrentQueue<MemberSnapshot> _received = new();

        public IReadOnlyCollection<MemberSnapshot> Received => _received;

        public async Task MemberChangedAsync(MemberSnapshot snapshot)
        {
            _received.Enqueue(snapshot);
            if (behaviour is not null)
            {
                await behaviour(snapshot);
            }
        }

        public Task ScheduleChangedAsync(ScheduleChange change) => Task.CompletedTask;

        public async Task<MemberSnapshot> WaitForAsync(Func<MemberSnapshot, bool> match) =>
            (await Eventually.Until(() => Task.FromResult(_received.FirstOrDefault(match)), s => s is not null, Patience, "a matching push"))!;
    }
}
