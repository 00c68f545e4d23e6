using MedSpa.Clock;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MedSpa.Grains.Clock;

public static class ClockRegistration
{
    /// <summary>
    /// Installs the practice clock as the silo's <see cref="TimeProvider"/>. A simulated clock drives grains and
    /// reminders (so moving it makes due work happen); membership, messaging and maintenance stay on real time,
    /// because a silo that jumped a month would declare its peers dead.
    /// Call after <c>UseOrleans</c>: the sync needs a started silo.
    /// </summary>
    public static IServiceCollection AddPracticeClock(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(ClockOptions.Section);
        services.Configure<ClockOptions>(section);

        if (section.Get<ClockOptions>()?.Mode != ClockMode.Simulated)
        {
            services.AddSingleton(TimeProvider.System);
            services.AddSingleton<IClockCatchUp, RealClockCatchUp>();
            return services;
        }

        services.AddSingleton(new SimulatedClock(TimeProvider.System));
        services.AddSingleton<TimeProvider>(sp => sp.GetRequiredService<SimulatedClock>());
        foreach (var area in RealTimeAreas)
        {
            services.AddKeyedSingleton(area, TimeProvider.System);
        }

        services.AddSingleton<ClockSync>();
        services.AddSingleton<IClockCatchUp>(sp => sp.GetRequiredService<ClockSync>());
        services.AddHostedService(sp => sp.GetRequiredService<ClockSync>());
        return services;
    }

    private static readonly string[] RealTimeAreas =
    [
        TimeProviderNames.Membership,
        TimeProviderNames.Messaging,
        TimeProviderNames.SystemTimers,
        TimeProviderNames.ActivationManagement,
        TimeProviderNames.GrainDirectory,
    ];
}
