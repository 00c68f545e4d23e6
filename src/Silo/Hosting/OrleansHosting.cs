using MedSpa.Grains.Members;
using System.Net;
using MedSpa.Grains;
using MedSpa.Grains.Clock;
using Microsoft.AspNetCore.Builder;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Serialization;
using Orleans.Storage;

namespace MedSpa.Silo.Hosting;

/// <summary>Configuration section <c>Orleans</c>: how this silo joins the cluster.</summary>
public sealed class SiloOptions
{
    public const string Section = "Orleans";

    public string ClusterId { get; set; } = "medspa";

    public string ServiceId { get; set; } = "medspa";

    /// <summary>The address other silos reach this one at.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>Allows fast reminders in tests; production keeps Orleans' one-minute floor.</summary>
    public TimeSpan? MinimumReminderPeriod { get; set; }
}

public static class OrleansHosting
{
    private const string Invariant = "Npgsql";

    public static WebApplicationBuilder AddMedSpaOrleans(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var options = configuration.GetSection(SiloOptions.Section).Get<SiloOptions>() ?? new SiloOptions();

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(cluster =>
            {
                cluster.ClusterId = options.ClusterId;
                cluster.ServiceId = options.ServiceId;
            });

            if (configuration.StorageMode() == StorageMode.Memory)
            {
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort);
                silo.AddMemoryGrainStorage(StorageNames.Practice);
                silo.UseInMemoryReminderService();
            }
            else
            {
                var connectionString = configuration.PostgresConnectionString();
                silo.ConfigureEndpoints(IPAddress.Parse(options.AdvertisedAddress), options.SiloPort, options.GatewayPort);
                silo.UseAdoNetClustering(o =>
                {
                    o.Invariant = Invariant;
                    o.ConnectionString = connectionString;
                });
                silo.AddAdoNetGrainStorage(StorageNames.Practice, o =>
                {
                    o.Invariant = Invariant;
                    o.ConnectionString = connectionString;
                });
                // State is stored with the same version-tolerant serializer as grain messages: the [Id]s on
                // the state records are the storage contract (the default JSON cannot read immutable collections).
                silo.Services.AddOptions<AdoNetGrainStorageOptions>(StorageNames.Practice)
                    .Configure<Serializer>((o, serializer) => o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
                silo.UseAdoNetReminderService(o =>
                {
                    o.Invariant = Invariant;
                    o.ConnectionString = connectionString;
                });
            }

            if (options.MinimumReminderPeriod is { } minimum)
            {
                silo.Configure<ReminderOptions>(reminders => reminders.MinimumReminderPeriod = minimum);
            }

            silo.AddCustomStorageBasedLogConsistencyProvider(IMemberJournal.ProviderName);
            silo.AddDashboard();
            silo.AddActivityPropagation();
        });

        builder.Services.AddPracticeClock(configuration);
        return builder;
    }
}
