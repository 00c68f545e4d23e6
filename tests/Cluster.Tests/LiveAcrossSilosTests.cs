using System.Net.Http.Json;
using MedSpa.Members;
using MedSpa.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MedSpa.Cluster.Tests;

/// <summary>
/// Live updates across two silo processes: the dashboard is connected to one silo and the member's grain lives on
/// the other, so the push has to cross the cluster (member grain → hub-list grain → every node's observer).
/// </summary>
public sealed class LiveAcrossSilosTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private TestDatabase _database = null!;
    private SiloProcess? _first;
    private SiloProcess? _second;
    private IHost? _observer;

    private IClusterClient Cluster => _observer!.Services.GetRequiredService<IClusterClient>();

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        try
        {
            // One at a time: the first brings the schema up, and the second joins a cluster that already exists.
            _first = await SiloProcess.StartAsync(_database);
            _second = await SiloProcess.StartAsync(_database);

            // An Orleans client beside the cluster, only to ask where an activation lives.
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.UseOrleansClient(client => client.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = _database.ConnectionString;
            }));
            _observer = builder.Build();
            await _observer.StartAsync();
        }
        catch
        {
            // No silo process outlives a fixture that failed half way.
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (_observer is not null)
        {
            await _observer.StopAsync();
            _observer.Dispose();
            _observer = null;
        }

        foreach (var silo in new[] { _second, _first })
        {
            if (silo is not null)
            {
                await silo.DisposeAsync();
            }
        }

        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_dashboard_on_one_silo_sees_the_redemption_of_a_member_whose_grain_lives_on_the_other()
    {
        var (first, second) = (_first!, _second!);
        var management = Cluster.GetGrain<IManagementGrain>(0);
        await Eventually.Until(() => management.GetHosts(onlyActive: true), hosts => hosts.Count == 2, Patience, "two active silos");
        using var admin = second.AdminClient();
        var clinic = await Clinic.OpenAsync(admin);

        // Members created through the second silo; one whose activation is on it (placement decides, so ask).
        string? id = null;
        for (var i = 0; i < 12 && id is null; i++)
        {
            var candidate = await clinic.ActiveMemberAsync("Nia", $"Node{i}");
            if (await HostPortAsync(candidate) == second.SiloPort)
            {
                id = candidate;
            }
        }

        Assert.True(id is not null, "no member of twelve was activated on the second silo");
        await using var dashboard = await LiveClient.ConnectAsync(first.BaseAddress, TestSilo.AdminKey);
        var watched = await dashboard.WatchMemberAsync(id);
        Assert.Equal(1, LiveClient.Remaining(watched, Clinic.NeurotoxinKey));

        var redeemed = await admin.PostAsJsonAsync($"/api/v1/members/{id}/redemptions",
            new { redemptionId = "red_across", benefitKey = Clinic.NeurotoxinKey, quantity = 1 });
        redeemed.EnsureSuccessStatusCode();

        var pushed = await dashboard.MemberChangedAsync(
            s => s.GetProperty("memberId").GetString() == id && LiveClient.Remaining(s, Clinic.NeurotoxinKey) == 0, Patience);
        Assert.True(pushed.GetProperty("version").GetInt64() > watched.GetProperty("version").GetInt64());
        Assert.Equal("active", pushed.GetProperty("status").GetString());
        // Still where it was: the push crossed from the second silo to the first, it was not the grain that moved.
        Assert.Equal(second.SiloPort, await HostPortAsync(id));
        Assert.False(first.HasExited || second.HasExited, $"a silo exited:\n{first.Output}\n{second.Output}");
    }

    private async Task<int?> HostPortAsync(string memberId)
    {
        var address = await Cluster.GetGrain<IManagementGrain>(0).GetActivationAddress(Cluster.GetGrain<IMemberGrain>(memberId));
        return address?.Endpoint.Port;
    }
}
