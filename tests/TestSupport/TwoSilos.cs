using Xunit;

namespace MedSpa.Tests;

/// <summary>Two silos on one fresh database: one cluster, as behind a load balancer. A class fixture.</summary>
public sealed class TwoSilos : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public TestSilo First { get; private set; } = null!;

    public TestSilo Second { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        First = await TestSilo.StartAsync(_database);
        Second = await TestSilo.StartAsync(_database);
    }

    public async Task DisposeAsync()
    {
        await Second.DisposeAsync();
        await First.DisposeAsync();
        await _database.DisposeAsync();
    }
}
