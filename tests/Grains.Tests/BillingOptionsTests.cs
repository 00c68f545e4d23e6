using MedSpa.Domain.Billing;
using MedSpa.Grains.Billing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MedSpa.Grains.Tests;

/// <summary>The practice's dunning schedule as configured, and the defaults when it is not.</summary>
public sealed class BillingOptionsTests
{
    [Fact]
    public void Unconfigured_the_schedule_is_24_and_72_hours_then_30_days_suspended()
    {
        var policy = PolicyFrom([]);

        Assert.Equal([TimeSpan.FromHours(24), TimeSpan.FromHours(72)], policy.RetryOffsets);
        Assert.Equal(TimeSpan.FromDays(30), policy.SuspendedFor);
    }

    [Fact]
    public void A_configured_retry_list_replaces_the_default_rather_than_extending_it()
    {
        var policy = PolicyFrom(new() { ["Billing:RetryOffsets:0"] = "12:00:00", ["Billing:SuspendedFor"] = "14.00:00:00" });

        Assert.Equal([TimeSpan.FromHours(12)], policy.RetryOffsets);
        Assert.Equal(TimeSpan.FromDays(14), policy.SuspendedFor);
    }

    [Fact]
    public void A_schedule_that_goes_backwards_is_refused_when_the_silo_starts()
    {
        var error = Assert.Throws<CommandRejectedException>(() =>
            PolicyFrom(new() { ["Billing:RetryOffsets:0"] = "3.00:00:00", ["Billing:RetryOffsets:1"] = "1.00:00:00" }));

        Assert.Equal("invalid_retry_schedule", error.Code);
    }

    private static DunningPolicy PolicyFrom(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddBilling(configuration).BuildServiceProvider();
        return services.GetRequiredService<DunningPolicy>();
    }
}
