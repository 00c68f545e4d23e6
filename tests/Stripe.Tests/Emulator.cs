using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using MedSpa.Grains.Billing;
using MedSpa.StripeEmulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Stripe;

namespace MedSpa.Stripe.Tests;

/// <summary>One emulator per test, in-process on a free loopback port, so fault rules and audits never leak between tests.</summary>
public sealed class Emulator : IAsyncDisposable
{
    private readonly WebApplication _app;

    private Emulator(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        Admin = new HttpClient { DefaultRequestHeaders = { Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "sk_test_emulator") }, BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Admin { get; }

    public StripeOptions Options => new() { SecretKey = "sk_test_medspa", ApiBase = BaseAddress, RatePerSecond = 1000 };

    /// <summary><paramref name="ratePerSecond"/> 0: the emulator does not rate limit unless a test asks it to.</summary>
    public static async Task<Emulator> StartAsync(int ratePerSecond = 0, string? stateFile = null, TimeSpan? latency = null)
    {
        var baseAddress = new Uri($"http://127.0.0.1:{FreePort()}");
        var app = StripeEmulatorHost.Build(["--urls", baseAddress.ToString()], builder => builder.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?>
            {
                ["Emulator:RatePerSecond"] = ratePerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Logging:LogLevel:Default"] = "Warning",
                ["Emulator:StateFile"] = stateFile,
                ["Emulator:Latency"] = latency?.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
            }));
        await app.StartAsync();
        return new Emulator(app, baseAddress);
    }

    public StripeClient Client() => StripePaymentGateway.CreateClient(Options);

    public StripePaymentGateway Gateway(int ratePerSecond = 1000) =>
        new(Client(), new StripeThrottle(ratePerSecond), TimeProvider.System);

    public async Task FaultAsync(FaultRequest fault)
    {
        using var response = await Admin.PostAsJsonAsync("/_emulator/faults", fault);
        response.EnsureSuccessStatusCode();
    }

    public async Task<JsonArray> PaymentIntentsAsync() =>
        JsonNode.Parse(await Admin.GetStringAsync(new Uri("/_emulator/payment_intents", UriKind.Relative)))!.AsArray();

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
