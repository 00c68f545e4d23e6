namespace MedSpa.Tests;

/// <summary>
/// Several <see cref="SiloProcess"/>es on one PostgreSQL database with the same settings: a cluster whose members can be killed,
/// stopped and replaced one by one while the others serve. The database is the caller's.
/// </summary>
public sealed class SiloCluster : IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly IDictionary<string, string?> _settings;
    private readonly SiloProcess?[] _silos;

    private SiloCluster(string connectionString, IDictionary<string, string?> settings, int size)
    {
        _connectionString = connectionString;
        _settings = settings;
        _silos = new SiloProcess?[size];
    }

    public int Size => _silos.Length;

    /// <summary>The silo in slot <paramref name="slot"/>; throws if it was killed or stopped and not replaced.</summary>
    public SiloProcess this[int slot] => _silos[slot] ?? throw new InvalidOperationException($"Silo {slot} is not running.");

    /// <summary>The silos running now, for a client that spreads its calls over them.</summary>
    public IReadOnlyList<SiloProcess> Running => [.. _silos.OfType<SiloProcess>().Where(s => !s.HasExited)];

    /// <summary>The last output of every silo, for a failure message.</summary>
    public string Output => string.Join("\n", _silos.Select((s, i) => $"--- silo {i} ---\n{s?.Output}"));

    /// <summary>Starts <paramref name="size"/> silos one at a time: the first brings the schema up, the others join the cluster it made.</summary>
    public static async Task<SiloCluster> StartAsync(string connectionString, int size, IDictionary<string, string?> settings)
    {
        var cluster = new SiloCluster(connectionString, settings, size);
        try
        {
            for (var slot = 0; slot < size; slot++)
            {
                await cluster.StartAsync(slot);
            }
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    /// <summary>kill -9 of the silo in <paramref name="slot"/>: a crash, nothing said to the cluster.</summary>
    public async Task KillAsync(int slot)
    {
        var silo = this[slot];
        silo.Kill();
        await silo.DisposeAsync();
        _silos[slot] = null;
    }

    /// <summary>What a rolling restart does to one silo: SIGTERM, wait for the exit, a new process on new ports, wait until ready.</summary>
    public async Task RestartAsync(int slot)
    {
        var silo = this[slot];
        await silo.StopAsync();
        await silo.DisposeAsync();
        _silos[slot] = null;
        await StartAsync(slot);
    }

    private async Task StartAsync(int slot) => _silos[slot] = await SiloProcess.StartAsync(_connectionString, _settings);

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos.Reverse())
        {
            if (silo is not null)
            {
                await silo.DisposeAsync();
            }
        }
    }
}
