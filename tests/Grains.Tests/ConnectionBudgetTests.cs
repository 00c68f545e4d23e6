using MedSpa.Members;
using MedSpa.Plans;
using MedSpa.Silo.Hosting;
using MedSpa.Tests;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace MedSpa.Grains.Tests;

/// <summary>
/// A silo's connections to PostgreSQL are bounded: two pools of <see cref="StorageHosting.DefaultMaxPoolSize"/> unless
/// the connection string names its own size, so several silos fit under one server's <c>max_connections</c>.
/// </summary>
public sealed class ConnectionBudgetTests : WithFreshDatabase
{
    [Theory]
    [InlineData("Host=db;Username=medspa", StorageHosting.DefaultMaxPoolSize)]
    [InlineData("Host=db;Username=medspa;Maximum Pool Size=50", 50)]
    [InlineData("Host=db;Username=medspa;MaxPoolSize=7", 7)]
    [InlineData("Host=db;Username=medspa;maximum pool size=120", 120)]
    public void The_pool_size_is_the_connection_strings_own_or_the_silos_default(string configured, int expected)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = configured })
            .Build();

        var used = new NpgsqlConnectionStringBuilder(configuration.PostgresConnectionString());

        Assert.Equal(expected, used.MaxPoolSize);
        Assert.Equal("db", used.Host);
    }

    [Fact]
    public async Task A_burst_of_activations_waits_for_connections_instead_of_opening_hundreds()
    {
        await using var silo = await TestSilo.StartAsync(Database);
        using var sampling = new CancellationTokenSource();
        var sampler = PeakConnectionsAsync(sampling.Token);

        // Each member grain reads its log (the member log's pool) and each roster its state (Orleans' pool) on activation.
        await Task.WhenAll(Enumerable.Range(0, 400).Select(async i =>
        {
            await silo.Grains.GetGrain<IMemberGrain>($"mem_burst{i:D4}").GetLapseAsync();
            await silo.Grains.GetGrain<IPlanRosterGrain>($"plan_burst{i:D4}").GetMembersAsync();
        }));

        await sampling.CancelAsync();
        var peak = await sampler;
        Assert.True(peak > 2, $"the burst never used more than {peak} connections: it tested nothing");
        Assert.InRange(peak, 1, 2 * StorageHosting.DefaultMaxPoolSize);
    }

    /// <summary>The most connections the silo held on the test database at once, sampled until cancelled.</summary>
    private async Task<long> PeakConnectionsAsync(CancellationToken stop)
    {
        var admin = new NpgsqlConnectionStringBuilder(TestDatabase.AdminConnectionString) { Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync(CancellationToken.None);
        await using var count = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend'", connection);
        count.Parameters.Add(new NpgsqlParameter { Value = Database.Name });
        long peak = 0;
        while (!stop.IsCancellationRequested)
        {
            peak = Math.Max(peak, (long)(await count.ExecuteScalarAsync(CancellationToken.None))!);
            await Task.Delay(10, CancellationToken.None);
        }

        return peak;
    }
}
