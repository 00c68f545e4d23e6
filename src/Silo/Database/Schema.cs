using MedSpa.Grains.Reporting;
using MedSpa.Silo.Hosting;
using Npgsql;

namespace MedSpa.Silo.Database;

/// <summary>
/// The PostgreSQL schema in <c>db/*.sql</c>: Orleans' clustering, storage and reminder tables with their named
/// queries, and MedSpa's own tables. Every script is idempotent, so applying it on every start is safe; they run in
/// file-name order inside one transaction, under a lock, so silos starting together do not race.
/// </summary>
public sealed class Schema(NpgsqlDataSource database, ILogger<Schema> logger)
{
    private const string ResourcePrefix = "db/";

    public static IReadOnlyList<(string Name, string Sql)> Scripts { get; } = LoadScripts();

    public async Task ApplyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var serialize = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('medspa.schema'))", connection, transaction))
        {
            await serialize.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var (name, sql) in Scripts)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken);
            logger.LogDebug("Applied {Script}", name);
        }

        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Database schema is up to date ({Count} scripts)", Scripts.Count);
    }

    /// <summary><c>MedSpa.Silo migrate</c>: apply the schema to <c>ConnectionStrings:Postgres</c> and exit.</summary>
    public static Task<int> MigrateCommandAsync(string[] args) => CommandAsync(args, "migrate", _ => Task.CompletedTask);

    /// <summary>
    /// <c>MedSpa.Silo reports rebuild</c>: brings the schema up to date, then clears the reporting projection. The running
    /// silos fold the whole log again at their next catch-up (within 30 s, or at the next report request); until that
    /// commits, reports wait for it rather than read a half-built projection.
    /// </summary>
    public static Task<int> RebuildReportsCommandAsync(string[] args) => CommandAsync(args, "reports rebuild", async database =>
    {
        await new ReportProjector(database).ResetAsync();
        await Console.Out.WriteLineAsync("The reporting projection is cleared; the silos fold the whole event log again at their next catch-up.");
    });

    /// <summary>Applies the schema to <c>ConnectionStrings:Postgres</c>, then does <paramref name="then"/>; 1 on failure.</summary>
    private static async Task<int> CommandAsync(string[] args, string name, Func<NpgsqlDataSource, Task> then)
    {
        var builder = Host.CreateApplicationBuilder(args);
        try
        {
            await using var database = NpgsqlDataSource.Create(builder.Configuration.PostgresConnectionString());
            using var loggers = LoggerFactory.Create(logging => logging.AddSimpleConsole(console => console.SingleLine = true));
            await new Schema(database, loggers.CreateLogger<Schema>()).ApplyAsync(CancellationToken.None);
            await then(database);
            return 0;
        }
        catch (Exception ex) when (ex is InvalidOperationException or NpgsqlException)
        {
            await Console.Error.WriteLineAsync($"{name} failed: {ex.Message}");
            return 1;
        }
    }

    private static IReadOnlyList<(string Name, string Sql)> LoadScripts()
    {
        var assembly = typeof(Schema).Assembly;
        return [.. assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name =>
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
                return (name[ResourcePrefix.Length..], reader.ReadToEnd());
            })];
    }
}

/// <summary>Brings the schema up to date before the silo joins the cluster (registered ahead of Orleans).</summary>
internal sealed class ApplySchemaOnStart(Schema schema) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => schema.ApplyAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
