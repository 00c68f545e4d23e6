using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using MedSpa.Tests;
using Npgsql;
using Xunit.Abstractions;
using static MedSpa.Cluster.Tests.ClusterApi;

namespace MedSpa.Cluster.Tests;

/// <summary>
/// Issue 8: PostgreSQL restarted under two silos while the desk redeems credits. The silos recover by themselves
/// (ready again, new requests succeed, nobody restarts them); every redemption they acknowledged is in the ledger
/// once; every one they did not acknowledge, sent again with its same RedemptionId, is in it once too; and each
/// member's balance is what they started with less what the ledger says they used.
/// </summary>
public sealed class PostgresRestartTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Members = 6;
    private const int Desks = 6;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(6);

    /// <summary>The desk gives up on an answer sooner than the outage lasts: some redemptions go unacknowledged, whatever became of them.</summary>
    private static readonly TimeSpan DeskPatience = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(90);

    private PrivatePostgres _postgres = null!;
    private SiloCluster? _silos;

    /// <summary>Every answer other than 2xx a desk got, as "status body".</summary>
    private readonly ConcurrentBag<string> _refusals = [];

    public async Task InitializeAsync() => _postgres = await PrivatePostgres.StartAsync();

    public async Task DisposeAsync()
    {
        if (_silos is not null)
        {
            await _silos.DisposeAsync();
        }

        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task A_postgres_restart_during_redemptions_loses_no_acknowledged_one_and_doubles_none()
    {
        _silos = await SiloCluster.StartAsync(_postgres.ConnectionString, 2, new Dictionary<string, string?>());
        using var admin = _silos[0].AdminClient();
        var clinic = await Clinic.OpenAsync(admin);
        var members = await ActiveMembersAsync(clinic, Members, "Desk");

        var facialAtStart = await FacialBalanceAsync(admin, members[0]);
        var desks = _silos.Running.Select(s => s.AdminClient()).ToArray();
        foreach (var desk in desks)
        {
            desk.Timeout = DeskPatience;
        }

        var outcomes = new ConcurrentBag<(string Member, string RedemptionId, bool Acknowledged)>();
        using var stop = new CancellationTokenSource();
        var traffic = Enumerable.Range(0, Desks).Select(desk => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var member = members[desk % members.Count];
                var redemptionId = $"red_{desk}_{n}";
                var acknowledged = await RedeemAsync(desks[n % desks.Length], member, redemptionId);
                outcomes.Add((member, redemptionId, acknowledged));
                await Task.Delay(TimeSpan.FromMilliseconds(acknowledged ? 20 : 200));
            }
        })).ToList();

        await Task.Delay(TimeSpan.FromSeconds(3));
        var beforeOutage = outcomes.Count;
        await _postgres.StopServerAsync();
        await Task.Delay(Outage);
        await _postgres.StartServerAsync();
        var clock = Stopwatch.StartNew();

        // Recovery by itself: every silo ready again and a fresh redemption acknowledged through each.
        foreach (var silo in _silos.Running)
        {
            using var probe = silo.AnonymousClient();
            await Eventually.Until(async () => await ReadyAsync(probe), ready => ready, Recovery, $"{silo.BaseAddress} to be ready again");
        }

        var fresh = 0;
        foreach (var desk in desks)
        {
            var id = $"red_after_{fresh++}";
            await Eventually.Until(() => RedeemAsync(desk, members[0], id), ok => ok, Recovery - clock.Elapsed, $"a redemption through {desk.BaseAddress} after the restart");
            outcomes.Add((members[0], id, true));
        }

        output.WriteLine($"recovered {clock.Elapsed.TotalSeconds:0}s after PostgreSQL was back");
        await Task.Delay(TimeSpan.FromSeconds(2));
        await stop.CancelAsync();
        await Task.WhenAll(traffic);

        var unacknowledged = outcomes.Where(o => !o.Acknowledged).ToList();
        output.WriteLine($"{outcomes.Count} redemptions sent ({beforeOutage} before the outage), {unacknowledged.Count} not acknowledged");
        Assert.True(beforeOutage > 0 && unacknowledged.Count > 0, "the outage did not meet the traffic: the test proves nothing");

        // The desk's retry of what it never heard back about, with the same id: safe whichever way it went.
        foreach (var (member, id, _) in unacknowledged)
        {
            await Eventually.Until(() => RedeemAsync(desks[0], member, id), ok => ok, TimeSpan.FromSeconds(30), $"the retry of {id} for {member}");
        }

        var ledger = await RedemptionsInLedgerAsync();
        var sent = outcomes.Select(o => o.RedemptionId).ToHashSet();
        Assert.Equal(sent.Order(), ledger.Keys.Order());
        Assert.All(ledger, entry => Assert.True(entry.Value == 1, $"{entry.Key} is in the ledger {entry.Value} times"));
        foreach (var member in members)
        {
            var used = outcomes.Count(o => o.Member == member);
            Assert.Equal(facialAtStart - used, await FacialBalanceAsync(admin, member));
        }

        Assert.All(_silos.Running, silo => Assert.False(silo.HasExited, silo.Output));
        Assert.All(_refusals, refusal => Assert.StartsWith("503 ", refusal, StringComparison.Ordinal));
        Assert.All(_refusals, refusal => Assert.Contains("\"temporarily_unavailable\"", refusal, StringComparison.Ordinal));
    }

    /// <summary>
    /// One cent of facial credit; true when the silo acknowledged it (2xx), false for anything else, including no answer.
    /// A refusal it did answer is kept, to check it told the desk to repeat the request rather than that it broke.
    /// </summary>
    private async Task<bool> RedeemAsync(HttpClient desk, string member, string redemptionId)
    {
        try
        {
            using var response = await desk.PostAsJsonAsync($"/api/v1/members/{member}/redemptions",
                new { redemptionId, benefitKey = Clinic.FacialCreditKey, quantity = 1 });
            if (!response.IsSuccessStatusCode)
            {
                _refusals.Add($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }

            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static async Task<bool> ReadyAsync(HttpClient probe)
    {
        try
        {
            using var response = await probe.GetAsync("/health/ready");
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>How many times each redemption id is in <c>member_events</c>.</summary>
    private async Task<Dictionary<string, long>> RedemptionsInLedgerAsync()
    {
        await using var connection = new NpgsqlConnection(_postgres.ConnectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(
            "SELECT payload->>'redemptionId', count(*) FROM member_events WHERE event_type = 'credits_redeemed' GROUP BY 1", connection);
        await using var reader = await query.ExecuteReaderAsync();
        var counts = new Dictionary<string, long>();
        while (await reader.ReadAsync())
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }
}
