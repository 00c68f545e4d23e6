using MedSpa.Grains.Billing;
using MedSpa.Grains.Members;
using MedSpa.Grains.Reporting;
using MedSpa.Grains.Telemetry;
using MedSpa.Silo.Database;
using MedSpa.Web.Health;
using Microsoft.AspNetCore.Builder;
using Npgsql;

namespace MedSpa.Silo.Hosting;

public static class StorageHosting
{
    public const string ConnectionStringName = "Postgres";

    public static StorageMode StorageMode(this IConfiguration configuration) =>
        configuration.GetSection(StorageOptions.Section).Get<StorageOptions>()?.Mode ?? Hosting.StorageMode.Postgres;

    /// <summary>
    /// Connections a silo keeps in each of its two pools (Orleans' clustering, grain state and reminders; the member
    /// log, due index and reports) unless the connection string says otherwise. Npgsql's own default, 100 a pool, lets
    /// one busy silo open 200 connections, twice PostgreSQL's default <c>max_connections</c>, and a billing run over
    /// thousands of members did exactly that to three silos ("too many clients"). Every statement here is short, so a
    /// few connections a core keep PostgreSQL busy; a caller that finds them all taken waits its turn (up to the
    /// connection string's <c>Timeout</c>, 15 s by default) instead of opening more.
    /// </summary>
    public const int DefaultMaxPoolSize = 20;

    public static string PostgresConnectionString(this IConfiguration configuration) =>
        configuration.GetConnectionString(ConnectionStringName) is { Length: > 0 } connectionString
            ? WithPoolSizeDefault(connectionString)
            : throw new InvalidOperationException(
                $"ConnectionStrings:{ConnectionStringName} is not set. Point it at a PostgreSQL database, " +
                "or set Storage:Mode=Memory for a throwaway in-memory silo.");

    /// <summary><see cref="DefaultMaxPoolSize"/>, unless the string names a pool size of its own (any of Npgsql's spellings).</summary>
    private static string WithPoolSizeDefault(string connectionString)
    {
        var named = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
            .Cast<string>()
            .Select(key => key.Replace(" ", "", StringComparison.Ordinal))
            .Any(key => key.Equals("MaxPoolSize", StringComparison.OrdinalIgnoreCase) || key.Equals("MaximumPoolSize", StringComparison.OrdinalIgnoreCase));
        return named ? connectionString : new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = DefaultMaxPoolSize }.ConnectionString;
    }

    /// <summary>
    /// PostgreSQL holds everything durable; its schema is brought up to date before the silo starts, because
    /// clustering cannot even join without its tables. In memory mode the process says loudly that it keeps nothing.
    /// </summary>
    public static WebApplicationBuilder AddMedSpaStorage(this WebApplicationBuilder builder)
    {
        if (builder.Configuration.StorageMode() == Hosting.StorageMode.Memory)
        {
            builder.Services.AddHostedService<MemoryModeWarning>();
            builder.Services.AddSingleton<IMemberJournal, InMemoryMemberJournal>();
            builder.Services.AddSingleton<IDueIndex, InMemoryDueIndex>();
            builder.Services.AddSingleton<IStripeEventStore, InMemoryStripeEventStore>();
            builder.Services.AddMedSpaMetrics(postgres: false);
            return builder;
        }

        builder.Services.AddSingleton(NpgsqlDataSource.Create(builder.Configuration.PostgresConnectionString()));
        builder.Services.AddSingleton<IMemberJournal, PostgresMemberJournal>();
        builder.Services.AddSingleton<IDueIndex, PostgresDueIndex>();
        builder.Services.AddSingleton<IStripeEventStore, PostgresStripeEventStore>();
        builder.Services.AddReporting(builder.Configuration);
        builder.Services.AddMedSpaMetrics(postgres: true);
        builder.Services.AddSingleton<Schema>();
        builder.Services.AddHostedService<ApplySchemaOnStart>();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [HealthEndpoints.Ready]);
        return builder;
    }

    private sealed class MemoryModeWarning(ILogger<MemoryModeWarning> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            logger.LogWarning("""
                ************************************************************************
                *  Storage:Mode=Memory. NOTHING IS DURABLE: members, payments, credits  *
                *  and reminders live in this process only and vanish when it stops.   *
                *  Single silo only. Never use this mode for a real practice.           *
                ************************************************************************
                """);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
