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
            builder.Services.AddHostedService(services => new EmbeddedStripeEmulator(url, services.GetRequiredService<ILogger<EmbeddedStripeEmulator>>()));
        }

        return builder;
    }

    /// <summary>The emulator as part of this process, started before the silo so a charge never finds it missing.</summary>
    private sealed class EmbeddedStripeEmulator(string url, ILogger<EmbeddedStripeEmulator> logger) : IHostedService, IAsyncDisposable
    {
        private WebApplication? _emulator;

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            _emulator = StripeEmulatorHost.Build(["--urls", url], emulator => emulator.Logging.SetMinimumLevel(LogLevel.Warning));
            await _emulator.StartAsync(cancellationToken);
            logger.LogInformation("No Stripe:SecretKey: payments go to the Stripe emulator at {Url}", url);
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
