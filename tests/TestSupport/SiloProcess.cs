using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;

namespace MedSpa.Tests;

/// <summary>
/// The silo executable (<c>MedSpa.Silo.dll</c>, built beside the tests) as a real OS process on free loopback ports,
/// configured like <see cref="TestSilo"/> through environment variables. Several on one database form a cluster of
/// separate processes: what a deployment runs, and what can be killed outright. Disposing kills it if it still runs.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private const int KeptOutputLines = 200;

    private readonly Process _process;
    private readonly ConcurrentLines _output = new(KeptOutputLines);
    private int _disposed;

    private SiloProcess(Process process, Uri baseAddress, int siloPort, int gatewayPort)
    {
        _process = process;
        BaseAddress = baseAddress;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
    }

    public Uri BaseAddress { get; }

    /// <summary>The silo-to-silo port: with 127.0.0.1 it is how the cluster names this silo.</summary>
    public int SiloPort { get; }

    public int GatewayPort { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the process wrote, for a failure message.</summary>
    public string Output => _output.ToString();

    /// <summary>
    /// Starts a silo on <paramref name="database"/> with the test defaults (simulated clock, the admin key
    /// <see cref="TestSilo.AdminKey"/>, its own Stripe emulator) overridden by <paramref name="settings"/>
    /// (<c>Section:Key</c> names), and waits until <c>/health/ready</c> answers 200.
    /// </summary>
    public static Task<SiloProcess> StartAsync(TestDatabase database, IDictionary<string, string?>? settings = null, TimeSpan? readyWithin = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        return StartAsync(database.ConnectionString, settings, readyWithin);
    }

    /// <summary>As <see cref="StartAsync(TestDatabase, IDictionary{string, string?}?, TimeSpan?)"/>, on any PostgreSQL database (e.g. <see cref="PrivatePostgres"/>).</summary>
    public static async Task<SiloProcess> StartAsync(string connectionString, IDictionary<string, string?>? settings = null, TimeSpan? readyWithin = null)
    {
        var baseAddress = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var configuration = TestSilo.Defaults(null, baseAddress, new Uri($"http://127.0.0.1:{FreePort.Next()}"));
        configuration["Storage:Mode"] = "Postgres";
        configuration["ConnectionStrings:Postgres"] = connectionString;
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var executable = Path.Combine(AppContext.BaseDirectory, "MedSpa.Silo.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { executable },
            // The content root: the silo's appsettings.json is copied beside it.
            WorkingDirectory = AppContext.BaseDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in configuration)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        var silo = new SiloProcess(process, baseAddress, Port(configuration, "Orleans:SiloPort"), Port(configuration, "Orleans:GatewayPort"));
        process.OutputDataReceived += (_, line) => silo._output.Add(line.Data);
        process.ErrorDataReceived += (_, line) => silo._output.Add(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await silo.WaitUntilReadyAsync(readyWithin ?? TimeSpan.FromSeconds(90));
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }

        return silo;
    }

    private static int Port(Dictionary<string, string?> configuration, string key) => int.Parse(configuration[key]!, CultureInfo.InvariantCulture);

    /// <summary>An HTTP client signed in with the bootstrap administrator key.</summary>
    public HttpClient AdminClient()
    {
        var client = AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestSilo.AdminKey);
        return client;
    }

    public HttpClient AnonymousClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Ends the process at once (SIGKILL): no shutdown, no goodbye to the cluster, as a crash would.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>
    /// Stops the process as a deployment does (SIGTERM): the host shuts down in order, the silo leaves the cluster
    /// and hosted services finish (the embedded Stripe emulator saves its state file). Waits for the exit.
    /// </summary>
    public async Task StopAsync(TimeSpan? within = null)
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var signal = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false })
            ?? throw new InvalidOperationException("Could not run kill."))
        {
            await signal.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(60));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The silo at {BaseAddress} did not stop after SIGTERM:\n{Output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        Kill();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Killed; the kernel reaps it whether we watch or not.
        }

        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync(TimeSpan within)
    {
        using var client = AnonymousClient();
        client.Timeout = TimeSpan.FromSeconds(5);
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The silo exited with {_process.ExitCode} before it was ready:\n{Output}");
            }

            try
            {
                if ((await client.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            if (elapsed.Elapsed > within)
            {
                throw new TimeoutException($"The silo at {BaseAddress} was not ready after {within.TotalSeconds:0}s:\n{Output}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }

    /// <summary>The last lines of a process's output, written from its reader threads.</summary>
    private sealed class ConcurrentLines(int capacity)
    {
        private readonly Queue<string> _lines = new();

        public void Add(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_lines)
            {
                _lines.Enqueue(line);
                while (_lines.Count > capacity)
                {
                    _lines.Dequeue();
                }
            }
        }

        public override string ToString()
        {
            lock (_lines)
            {
                return string.Join('\n', _lines);
            }
        }
    }
}
