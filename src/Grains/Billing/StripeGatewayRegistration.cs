using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Stripe;

namespace MedSpa.Grains.Billing;

public static class StripeGatewayRegistration
{
    /// <summary>
    /// The Stripe gateway from section <c>Stripe</c>. The host decides where <c>ApiBase</c> points (the emulator when
    /// no secret key is configured) before this resolves.
    /// </summary>
    public static IServiceCollection AddStripePaymentGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StripeOptions>().Bind(configuration.GetSection(StripeOptions.Section));
        services.AddOptions<StaffNoticeOptions>().Bind(configuration.GetSection(StaffNoticeOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new StripeThrottle(sp.GetRequiredService<IOptions<StripeOptions>>().Value.RatePerSecond));
        services.TryAddSingleton(sp => StripePaymentGateway.CreateClient(sp.GetRequiredService<IOptions<StripeOptions>>().Value));
        services.TryAddSingleton<IPaymentGateway>(sp => new StripePaymentGateway(
            sp.GetRequiredService<StripeClient>(), sp.GetRequiredService<StripeThrottle>(), sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
