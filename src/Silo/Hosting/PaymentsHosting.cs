using System.Security.Cryptography;
using MedSpa.Grains.Billing;
using MedSpa.StripeEmulator;
using Microsoft.AspNetCore.Builder;

namespace MedSpa.Silo.Hosting;

/// <summary>
/// Payments go through Stripe.net. With a <c>Stripe:SecretKey</c> they go to Stripe; without one the silo starts the
/// StripeEmulator on loopback (<c>Stripe:EmulatorUrl</c>) and talks to it through the same client, so development,
/// demos and tests run the real code path.
/// </summary>
public static class PaymentsHosting
{
    public const string EmulatorKey = "sk_test_emulator";
    private const string DefaultEmulatorUrl = "http://127.0.0.1:12111";

    public static WebApplicationBuilder AddMedSpaPayments(this WebApplicationBuilder builder)
    {
        builder.Services.AddStripePaymentGateway(builder.Configuration);
        builder.Services.AddBilling(builder.Configuration);
        if (string.IsNullOrEmpty(builder.Configuration[$"{StripeOptions.Section}:SecretKey"]))
        {
            var url = builder.Configuration["Stripe:EmulatorUrl"] ?? DefaultEmulatorUrl;
            builder.Services.PostConfigure<StripeOptions>(o =>
            {
                o.SecretKey = EmulatorKey;
                o.ApiBase = new Uri(url);
            });
            var webhooks = EmulatorWebhooks(builder.Configuration);
            var stateFile = builder.Configuration["Stripe:EmulatorStateFile"];
            builder.Services.AddHostedService(services => new EmbeddedStripeEmulator(url, stateFile, webhooks, services.GetRequiredService<ILogger<EmbeddedStripeEmulator>>()));
        }

        return builder;
    }

    /// <summary>
    /// With the embedded emulator and no <c>Stripe:WebhookSecret</c>, a development run still gets webhooks: a fresh
    /// secret is configured and the emulator sends events to this app's own <c>/webhooks/stripe</c>.
    /// <c>Stripe:EmulatorWebhooks=false</c> turns that off (tests register their endpoint themselves).
    /// </summary>
    private static WebhookRequest? EmulatorWebhooks(ConfigurationManager configuration)
    {
        if (!string.IsNullOrEmpty(configuration[$"{StripeOptions.Section}:WebhookSecret"])
            || !configuration.GetValue($"{StripeOptions.Section}:EmulatorWebhooks", true))
        {
            return null;
        }

        var listen = (configuration["Urls"] ?? configuration["ASPNETCORE_URLS"] ?? "http://localhost:5000")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(u => u.StartsWith("http://", StringComparison.OrdinalIgnoreCase));
        if (listen is null)
        {
            return null;
        }

        // A wildcard listen address is not somewhere to send to; loopback reaches the same process.
        var app = new UriBuilder(listen.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        if (app.Host is "0.0.0.0" or "[::]" or "localhost")
        {
            app.Host = "127.0.0.1";
        }

        app.Path = "/webhooks/stripe";
        var secret = "whsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        configuration[$"{StripeOptions.Section}:WebhookSecret"] = secret;
        return new WebhookRequest(app.Uri, secret);
    }

    /// <summary>The emulator as part of this process, started before the silo so a charge never finds it missing.</summary>
    private sealed class EmbeddedStripeEmulator(string url, string? stateFile, WebhookRequest? webhooks, ILogger<EmbeddedStripeEmulator> logger)
        : IHostedService, IAsyncDisposable
    {
        private WebApplication? _emulator;

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            // A run that keeps its database must keep the emulated account too (Stripe:EmulatorStateFile, set by run.sh).
            string[] args = stateFile is { Length: > 0 } ? ["--urls", url, "--Emulator:StateFile", stateFile] : ["--urls", url];
            _emulator = StripeEmulatorHost.Build(args, emulator => emulator.Logging.SetMinimumLevel(LogLevel.Warning));
            await _emulator.StartAsync(cancellationToken);
            logger.LogInformation("No Stripe:SecretKey: payments go to the Stripe emulator at {Url}", url);
            if (webhooks is not null)
            {
                _emulator.Services.GetRequiredService<WebhookDispatcher>().Register(webhooks);
                logger.LogInformation("The Stripe emulator sends webhooks to {Endpoint}", webhooks.Url);
            }
        }

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            if (_emulator is not null)
            {
                await _emulator.StopAsync(cancellationToken);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_emulator is not null)
            {
                await _emulator.DisposeAsync();
            }
        }
    }
}
