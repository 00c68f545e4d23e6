using MedSpa.Domain.Billing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MedSpa.Grains.Billing;

/// <summary>Configuration section <c>Billing</c>: the practice's dunning schedule.</summary>
public sealed class BillingOptions
{
    public const string Section = "Billing";

    /// <summary>
    /// Retries after a failed charge, as offsets from the first failure; unset means 24 h and 72 h. (Null rather than a
    /// default array, because the configuration binder appends configured items to an existing array.)
    /// </summary>
    public TimeSpan[]? RetryOffsets { get; set; }

    /// <summary>How long a membership stays suspended for non-payment before it is cancelled (default 30 days).</summary>
    public TimeSpan SuspendedFor { get; set; } = DunningPolicy.Default.SuspendedFor;

    /// <summary>How many days an unpaid first payment is chased before the enrolment lapses (default 7, at most 90).</summary>
    public int FirstPaymentLapseDays { get; set; } = (int)DunningPolicy.DefaultFirstPaymentLapse.TotalDays;
}

public static class BillingRegistration
{
    /// <summary>The dunning policy from section <c>Billing</c>; a bad schedule stops the silo at start-up, not at the first failed charge.</summary>
    public static IServiceCollection AddBilling(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BillingOptions>().Bind(configuration.GetSection(BillingOptions.Section));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<BillingOptions>>().Value;
            return DunningPolicy.Create(options.RetryOffsets ?? DunningPolicy.Default.RetryOffsets, options.SuspendedFor, TimeSpan.FromDays(options.FirstPaymentLapseDays));
        });
        services.AddHostedService<DueSweep>();
        services.AddHostedService<StripeBudgetShare>();
        return services;
    }
}
