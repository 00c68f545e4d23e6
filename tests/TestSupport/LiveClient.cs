using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace MedSpa.Tests;

/// <summary>
/// A dashboard's connection to <c>/hubs/live</c> through the SignalR .NET client, connected the way
/// <c>live.js</c> connects (WebSockets, no negotiation). Snapshots are kept as JSON, as a page receives them.
/// </summary>
public sealed class LiveClient : IAsyncDisposable
{
    private readonly ConcurrentQueue<JsonElement> _memberChanges = new();
    private readonly ConcurrentQueue<JsonElement> _scheduleChanges = new();

    private LiveClient(HubConnection connection)
    {
        Connection = connection;
        connection.On<JsonElement>("memberChanged", s => _memberChanges.Enqueue(s));
        connection.On<JsonElement>("scheduleChanged", c => _scheduleChanges.Enqueue(c));
    }

    public HubConnection Connection { get; }

    public IReadOnlyCollection<JsonElement> MemberChanges => _memberChanges;

    public IReadOnlyCollection<JsonElement> ScheduleChanges => _scheduleChanges;

    /// <summary>Connects to <paramref name="baseAddress"/> with an API key, a cookie header, or neither; throws when refused.</summary>
    public static async Task<LiveClient> ConnectAsync(Uri baseAddress, string? apiKey = null, string? cookie = null)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(baseAddress, "/hubs/live"), options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
                if (apiKey is not null)
                {
                    options.Headers["Authorization"] = $"Bearer {apiKey}";
                }

                if (cookie is not null)
                {
                    options.Headers["Cookie"] = cookie;
                }
            })
            .Build();
        var client = new LiveClient(connection);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await connection.StartAsync(timeout.Token);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        return client;
    }

    public Task<JsonElement> WatchMemberAsync(string memberId) => Connection.InvokeAsync<JsonElement>("WatchMember", memberId);

    public Task WatchLocationAsync(string locationId) => Connection.InvokeAsync("WatchLocation", locationId);

    /// <summary>The first <c>memberChanged</c> matching <paramref name="match"/>, waiting at most <paramref name="within"/>.</summary>
    public async Task<JsonElement> MemberChangedAsync(Func<JsonElement, bool> match, TimeSpan within) =>
        (await Eventually.Until(() => Task.FromResult(_memberChanges.Where(match).Select(s => (JsonElement?)s).FirstOrDefault()),
            s => s is not null, within, "a matching memberChanged push")).GetValueOrDefault();

    /// <summary>The remaining balance of <paramref name="benefitKey"/> in a snapshot.</summary>
    public static long Remaining(JsonElement snapshot, string benefitKey) =>
        snapshot.GetProperty("benefits").EnumerateArray().Single(b => b.GetProperty("key").GetString() == benefitKey).GetProperty("remaining").GetInt64();

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
