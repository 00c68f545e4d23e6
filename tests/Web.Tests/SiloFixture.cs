using MedSpa.Tests;

namespace MedSpa.Web.Tests;

/// <summary>One silo with the web app on its own PostgreSQL database, shared by a test class.</summary>
public class SiloFixture : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public TestSilo Silo { get; private set; } = null!;

    public string ConnectionString => _database.ConnectionString;

    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public virtual async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        Silo = await TestSilo.StartAsync(_database, Settings);
    }

    public virtual async Task DisposeAsync()
    {
        await Silo.DisposeAsync();
        await _database.DisposeAsync();
    }
}

public sealed class RealClockSiloFixture : SiloFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Clock:Mode"] = "Real" };
}
