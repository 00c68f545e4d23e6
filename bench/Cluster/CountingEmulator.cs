using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using MedSpa.StripeEmulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MedSpa.Bench.Cluster;

/// <summary>
/// The Stripe emulator in the bench's own process, so the billing figure is counted where Stripe would count it: every
/// <c>/v1</c> answer is logged with its status and the moment it left. The silo reaches it over HTTP like any account.
/// </summary>
public sealed class CountingEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(long At, int Status)> _answers;

    private CountingEmulator(WebApplication app, Uri baseAddress, ConcurrentQueue<(long At, int Status)> answers)
    {
        _app = app;
        BaseAddress = baseAddress;
        _answers = answers;
    }

    public Uri BaseAddress { get; }

    /// <summary>Starts unlimited and with no latency: the state seeding wants.</summary>
    public static async Task<CountingEmulator> StartAsync()
    {
        var baseAddress = new Uri($"http://127.0.0.1:{MedSpa.Tests.FreePort.Next()}");
        var answers = new ConcurrentQueue<(long, int)>();
        var app = StripeEmulatorHost.Build(["--urls", baseAddress.ToString()], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Emulator:RatePerSecond"] = "0",
                ["Logging:LogLevel:Default"] = "Warning",
            });
            builder.Services.AddSingleton<IStartupFilter>(new Counter(answers));
        });
        await app.StartAsync();
        return new CountingEmulator(app, baseAddress, answers);
    }

    /// <summary>What a Stripe account of <paramref name="perSecond"/> operations a second, answering after <paramref name="latency"/>, would do.</summary>
    public void Configure(int perSecond, TimeSpan latency)
    {
        _app.Services.GetRequiredService<ApiRateLimiter>().Configure(perSecond);
        _app.Services.GetRequiredService<ApiLatency>().Configure(latency);
    }

    public void ClearLog() => _answers.Clear();

    public IReadOnlyList<(long At, int Status)> Answers => [.. _answers];

    public IReadOnlyList<JsonObject> PaymentIntents() => _app.Services.GetRequiredService<EmulatorState>().AllPaymentIntents();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Outermost middleware: it sees every answer, 429s included, once the emulator has written it.</summary>
    private sealed class Counter(ConcurrentQueue<(long, int)> answers) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (HttpContext http, RequestDelegate inner) =>
            {
                await inner(http);
                if (http.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal))
                {
                    answers.Enqueue((Stopwatch.GetTimestamp(), http.Response.StatusCode));
                }
            });
            next(app);
        };
    }

    public static string Describe(int perSecond, TimeSpan latency) =>
        string.Create(CultureInfo.InvariantCulture, $"{perSecond} requests/s, {latency.TotalMilliseconds:F0} ms latency");
}
