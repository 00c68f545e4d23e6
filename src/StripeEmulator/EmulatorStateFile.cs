using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MedSpa.StripeEmulator;

/// <summary>
/// Keeps the emulated account in a file (<c>Emulator:StateFile</c>) so a development run that keeps its database
/// also keeps the customers and cards that database refers to: otherwise every renewal after a restart would fail
/// on a card the emulator has forgotten. Saved every few seconds when it changed and on a clean stop.
/// </summary>
public sealed class EmulatorStateFile(string path, EmulatorState state, ILogger<EmulatorStateFile> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private string? _saved;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (File.Exists(path))
        {
            _saved = await File.ReadAllTextAsync(path, cancellationToken);
            state.Restore(JsonNode.Parse(_saved)!.AsObject());
            logger.LogInformation("Stripe emulator state restored from {Path}", path);
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, TimeProvider.System);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await SaveAsync(stoppingToken);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await SaveAsync(CancellationToken.None);
    }

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        var json = state.Snapshot().ToJsonString();
        if (json == _saved)
        {
            return;
        }

        // Written beside and moved over, so a crash mid-write leaves the previous state, never half a file.
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, json, cancellationToken);
        File.Move(temporary, path, overwrite: true);
        _saved = json;
    }
}
