using Xunit;

namespace MedSpa.Tests;

/// <summary>A test class each of whose tests gets its own empty database (<see cref="TestDatabase"/>), dropped afterwards.</summary>
public abstract class WithFreshDatabase : IAsyncLifetime
{
    protected TestDatabase Database { get; private set; } = null!;

    public async Task InitializeAsync() => Database = await TestDatabase.CreateAsync();

    public Task DisposeAsync() => Database.DisposeAsync().AsTask();
}
