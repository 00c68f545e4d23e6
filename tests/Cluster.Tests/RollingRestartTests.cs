using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MedSpa.Tests;
using Xunit.Abstractions;
using static MedSpa.Cluster.Tests.ClusterApi;

namespace MedSpa.Cluster.Tests;

/// <summary>
/// Issue 8: a rolling restart (each of three silos in turn stopped with SIGTERM, replaced, ready) while the desk keeps
/// redeeming and reading through whichever silos run, with the retry policy README documents for a load balancer:
/// no request fails beyond those retries, and every redemption is in the ledger exactly once.
/// </summary>
public sealed class RollingRestartTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Members = 6;
    private const int Desks = 4;

    /// <summary>README's policy: up to 5 tries, on another silo, 0.5 s apart, on no answer or a 5xx; never on a 4xx.</summary>
    private const int Tries = 5;
    private static readonly TimeSpan BetweenTries = TimeSpan.FromMilliseconds(500);

    private TestDatabase _database = null!;
    private SiloCluster? _silos;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        if (_silos is not null)
        {
            await _silos.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Restarting_every_silo_in_turn_under_traffic_fails_no_request_beyond_the_retries_and_loses_no_redemption()
    {
        _silos = await SiloCluster.StartAsync(_database.ConnectionString, 3, new Dictionary<string, string?>());
        using var admin = _silos[0].AdminClient();
        var clinic = await Clinic.OpenAsync(admin);
        var members = await ActiveMembersAsync(clinic, Members, "Rolling");

        var facialAtStart = await FacialBalanceAsync(admin, members[0]);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestSilo.AdminKey);
        var redeemed = new ConcurrentBag<(string Member, string RedemptionId)>();
        var failures = new ConcurrentBag<string>();
        var retried = 0;
        using var stop = new CancellationTokenSource();
        var traffic = Enumerable.Range(0, Desks).Select(desk => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var member = members[(desk + n) % members.Count];
                var redemptionId = $"red_{desk}_{n}";
                var (ok, tries, last) = await WithRetriesAsync(silo => http.PostAsJsonAsync(new Uri(silo, $"/api/v1/members/{member}/redemptions"),
                    new { redemptionId, benefitKey = Clinic.FacialCreditKey, quantity = 1 }), desk + n);
                Interlocked.Add(ref retried, tries - 1);
                if (ok)
                {
                    redeemed.Add((member, redemptionId));
                }
                else
                {
                    failures.Add($"redeem {redemptionId}: {last}");
                }

                (ok, tries, last) = await WithRetriesAsync(silo => http.GetAsync(new Uri(silo, $"/api/v1/members/{member}/credits")), desk + n);
                Interlocked.Add(ref retried, tries - 1);
                if (!ok)
                {
                    failures.Add($"read {member}: {last}");
                }
            }
        })).ToList();

        await Task.Delay(TimeSpan.FromSeconds(2));
        for (var slot = 0; slot < _silos.Size; slot++)
        {
            var before = redeemed.Count;
            await _silos.RestartAsync(slot);
            output.WriteLine($"silo {slot} restarted; {redeemed.Count - before} redemptions meanwhile");
            await Task.Delay(TimeSpan.FromSeconds(2));
        }

        await stop.CancelAsync();
        await Task.WhenAll(traffic);
        output.WriteLine($"{redeemed.Count} redemptions, {retried} retries");
        Assert.True(failures.IsEmpty, $"{failures.Count} requests failed after {Tries} tries:\n{string.Join('\n', failures.Take(20))}");

        // Each acknowledged redemption is in the ledger once: the balances are what was there less what was redeemed.
        using var reader = _silos[0].AdminClient();
        foreach (var member in members)
        {
            Assert.Equal(facialAtStart - redeemed.Count(r => r.Member == member), await FacialBalanceAsync(reader, member));
        }

        var ledger = await _database.ScalarAsync<long>("SELECT count(*) FROM member_events WHERE event_type = 'credits_redeemed'");
        Assert.Equal(redeemed.Count, ledger);
        Assert.All(_silos.Running, silo => Assert.False(silo.HasExited, silo.Output));
    }

    /// <summary>
    /// README's retry policy for a load balancer or client: send to the next running silo; on no answer or a 5xx try
    /// again (the same request, so the same RedemptionId) on another, after a pause; a 2xx or a 4xx is the answer.
    /// </summary>
    private async Task<(bool Ok, int Tries, string Last)> WithRetriesAsync(Func<Uri, Task<HttpResponseMessage>> send, int start)
    {
        var last = "";
        for (var attempt = 1; attempt <= Tries; attempt++)
        {
            var running = _silos!.Running;
            var silo = running[(start + attempt) % running.Count].BaseAddress;
            try
            {
                using var response = await send(silo);
                if ((int)response.StatusCode < 500)
                {
                    return (response.IsSuccessStatusCode, attempt, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }

                last = $"{silo}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = $"{silo}: {e.GetType().Name} {e.Message}";
            }

            await Task.Delay(BetweenTries);
        }

        return (false, Tries, last);
    }
}
