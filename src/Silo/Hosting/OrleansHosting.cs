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

    /// <summary>Section <c>Orleans:Membership</c>, bound over <see cref="Membership"/>'s defaults (Orleans' own names).</summary>
    public const string MembershipSection = Section + ":Membership";

    /// <summary>Section <c>Orleans:Messaging</c>: <see cref="SiloMessagingOptions"/>, e.g. <c>ResponseTimeout</c>.</summary>
    public const string MessagingSection = Section + ":Messaging";

    /// <summary>
    /// How fast the cluster gives up on a silo that stopped answering. Orleans' defaults take minutes after a crash
    /// (a 2-minute vote window, a 30 s I-am-alive a restarting silo waits out twice), and until then calls to grains
    /// that lived on the dead silo hang; a clinic's desk cannot wait that long. These detect a dead silo in about
    /// 10 s (3 missed 2 s probes, 2 votes) and let a silo restarted after a crash join within about 20 s, at the
    /// price of a little more probing and table traffic, which a handful of silos on one PostgreSQL does not notice.
    /// </summary>
    public static void Membership(ClusterMembershipOptions membership)
    {
        ArgumentNullException.ThrowIfNull(membership);
        membership.ProbeTimeout = TimeSpan.FromSeconds(2);
        membership.NumMissedProbesLimit = 3;
        membership.NumVotesForDeathDeclaration = 2;
        membership.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(30);
        membership.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);
        membership.NumMissedTableIAmAliveLimit = 2;
        membership.TableRefreshTimeout = TimeSpan.FromSeconds(15);
        membership.DefunctSiloExpiration = TimeSpan.FromDays(1);
        membership.DefunctSiloCleanupPeriod = TimeSpan.FromHours(1);
    }
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

            silo.Services.AddOptions<ClusterMembershipOptions>()
                .Configure(SiloOptions.Membership)
                .Bind(configuration.GetSection(SiloOptions.MembershipSection));
            // A call to a grain on a silo that dies fails as soon as the silo is declared dead (above), not at this
            // timeout; the timeout (Orleans' default 30 s) bounds a call to a live but stuck grain.
            silo.Services.AddOptions<SiloMessagingOptions>().Bind(configuration.GetSection(SiloOptions.MessagingSection));

            silo.AddCustomStorageBasedLogConsistencyProvider(IMemberJournal.ProviderName);
            silo.AddDashboard();
            silo.AddActivityPropagation();
        });

        builder.Services.AddPracticeClock(configuration);
        return builder;
    }
}
