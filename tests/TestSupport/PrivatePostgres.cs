using System.Diagnostics;
using Npgsql;

namespace MedSpa.Tests;

/// <summary>
/// A PostgreSQL server of one test's own, started with the project's scripts/postgres.sh (the same helpers test.sh
/// and run.sh use), so that test can stop and start it under running silos without touching the server every other
/// test shares. Throwaway: durability off, data removed on dispose.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string _data;
    private readonly int _port;

    private PrivatePostgres(string data, int port)
    {
        _data = data;
        _port = port;
    }

    /// <summary>The database the silos use, created on start.</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = "medspa" }.ConnectionString;

    private string AdminConnectionString => $"Host=127.0.0.1;Port={_port};Username=postgres;Database=postgres";

    public static async Task<PrivatePostgres> StartAsync()
    {
        var postgres = new PrivatePostgres(Path.Combine(Path.GetTempPath(), $"medspa-pg-{Guid.NewGuid():N}"), FreePort.Next());
        try
        {
            await ScriptAsync($"pg_ensure_binaries && pg_ensure_server_user && pg_ensure_cluster '{postgres._data}'");
            await postgres.StartServerAsync();
            await using var admin = new NpgsqlConnection(postgres.AdminConnectionString);
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE DATABASE medspa", admin);
            await create.ExecuteNonQueryAsync();
        }
        catch
        {
            await postgres.DisposeAsync();
            throw;
        }

        return postgres;
    }

    /// <summary>Fast shutdown: every connection is cut, as when the database server restarts or fails over.</summary>
    public Task StopServerAsync() => ScriptAsync($"pg_ensure_binaries && pg_stop '{_data}'");

    /// <summary>Starts the server again on the same port and data, and waits until it accepts connections.</summary>
    public Task StartServerAsync() => ScriptAsync(
        $"pg_ensure_binaries && pg_start '{_data}' {_port} '{_data}.log' fsync=off synchronous_commit=off full_page_writes=off max_connections=200");

    /// <summary>Runs <paramref name="commands"/> in bash with scripts/postgres.sh sourced, from the repository root.</summary>
    private static async Task ScriptAsync(string commands)
    {
        var root = RepositoryRoot();
        var start = new ProcessStartInfo("bash")
        {
            ArgumentList = { "-c", $"set -euo pipefail; source scripts/postgres.sh; {commands}" },
            WorkingDirectory = root,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not run bash.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/postgres.sh: '{commands}' failed with {process.ExitCode}:\n{await output}\n{await errors}");
        }
    }

    /// <summary>The folder holding MedSpa.sln, above the test binaries.</summary>
    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "MedSpa.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No MedSpa.sln above {AppContext.BaseDirectory}.");
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await StopServerAsync();
        }
        finally
        {
            if (Directory.Exists(_data))
            {
                Directory.Delete(_data, recursive: true);
            }

            File.Delete(_data + ".log");
        }
    }
}
