using System.Net.Http.Headers;
using MedSpa.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MedSpa.Tests;

/// <summary>
/// One real MedSpa process in miniature: the same host the silo executable builds, listening on free loopback
/// ports. Several on the same database form one cluster.
/// </summary>
public sealed class TestSilo : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key";

    private readonly WebApplication _app;

    private TestSilo(WebApplication app, Uri baseAddress, Uri stripeEmulator)
    {
        _app = app;
        BaseAddress = baseAddress;
        StripeEmulator = stripeEmulator;
    }

    public Uri BaseAddress { get; }

    /// <summary>The Stripe emulator this silo charges cards on (its own, on a free port).</summary>
    public Uri StripeEmulator { get; }

    public IServiceProvider Services => _app.Services;

    public IGrainFactory Grains => _app.Services.GetRequiredService<IGrainFactory>();

    /// <summary>
    /// Starts a silo on <paramref name="database"/> (null: in-memory mode) with test defaults overridden by
    /// <paramref name="settings"/>; <paramref name="configure"/> may add to the host (a log sink, say) before it is built.
    /// </summary>
    public static async Task<TestSilo> StartAsync(TestDatabase? database, IDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        var baseAddress = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var stripeEmulator = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var configuration = Defaults(database, baseAddress, stripeEmulator);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var app = MedSpaHost.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(configuration);
            configure?.Invoke(builder);
        });
        await app.StartAsync();
        return new TestSilo(app, baseAddress, stripeEmulator);
    }

    /// <summary>
    /// The settings a test silo starts with, in this process or as its own (<see cref="SiloProcess"/>): simulated
    /// clock, the administrator key, its own Stripe emulator, free ports, quiet logs.
    /// </summary>
    internal static Dictionary<string, string?> Defaults(TestDatabase? database, Uri baseAddress, Uri stripeEmulator) => new()
    {
        ["Urls"] = baseAddress.ToString(),
        ["Storage:Mode"] = database is null ? "Memory" : "Postgres",
        ["ConnectionStrings:Postgres"] = database?.ConnectionString,
        ["Clock:Mode"] = "Simulated",
        ["Auth:BootstrapApiKey"] = AdminKey,
        // As ./run.sh: mail lands in the development mailbox, where browser tests pick up sign-in links.
        ["Notifications:DevelopmentMailbox"] = "true",
        ["Notifications:MailboxShowsSignInLinks"] = "true",
        ["Stripe:EmulatorUrl"] = stripeEmulator.ToString().TrimEnd('/'),
        // Tests that want webhooks configure a secret and register with the emulator themselves.
        ["Stripe:EmulatorWebhooks"] = "false",
        ["Orleans:SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Orleans:GatewayPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Orleans:MinimumReminderPeriod"] = "00:00:01",
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Orleans"] = "Error",
    };

    /// <summary>An HTTP client signed in with the bootstrap administrator key.</summary>
    public HttpClient AdminClient()
    {
        var client = AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    public HttpClient AnonymousClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
