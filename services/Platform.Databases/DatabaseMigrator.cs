using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Platform.Databases;

/// <summary>
/// Brings <typeparamref name="TContext"/>'s schema to the latest migration before the host takes requests.
/// Several processes may start at once (silo and gateway share the read model): EF Core holds a
/// database lock while it migrates, and a process that loses a race tries again.
/// </summary>
public sealed class DatabaseMigrator<TContext>(IServiceProvider services, ILogger<DatabaseMigrator<TContext>> logger) : IHostedService
    where TContext : DbContext
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = services.CreateAsyncScope();
                var factory = scope.ServiceProvider.GetService<IDbContextFactory<TContext>>();
                await using var context = factory is not null
                    ? await factory.CreateDbContextAsync(cancellationToken)
                    : scope.ServiceProvider.GetRequiredService<TContext>();
                var applied = await MigrateAsync(context, cancellationToken);
                if (applied.Count > 0) logger.LogInformation("{Context}: applied {Migrations}", typeof(TContext).Name, string.Join(", ", applied));
                return;
            }
            catch (Exception ex) when (attempt < 8 && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("{Context}: migration attempt {Attempt} failed ({Message}); trying again", typeof(TContext).Name, attempt, ex.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt), cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Migrates to the latest schema; returns the migrations it applied.</summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(DbContext context, CancellationToken cancellationToken = default)
    {
        var database = context.Database;
        await AdoptSchemaWithoutHistoryAsync(context, cancellationToken);
        var pending = (await database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0) await database.MigrateAsync(cancellationToken);
        // WAL lets readers (the gateway) read while another process (the silo) writes.
        if (database.IsSqlite()) await database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        return pending;
    }

    /// <summary>
    /// A database made before migrations existed here (by <c>EnsureCreated</c>) has the first migration's
    /// tables but no history: record that migration as applied, so the later ones run on top of it
    /// and nothing is created twice.
    /// </summary>
    private static async Task AdoptSchemaWithoutHistoryAsync(DbContext context, CancellationToken cancellationToken)
    {
        var database = context.Database;
        var creator = database.GetService<IRelationalDatabaseCreator>();
        if (!await creator.ExistsAsync(cancellationToken) || !await creator.HasTablesAsync(cancellationToken)) return;
        if (await HistoryTableExistsAsync(database, cancellationToken)) return;
        var history = database.GetService<IHistoryRepository>();
        var first = database.GetMigrations().FirstOrDefault();
        if (first is null) return;
        var version = typeof(DbContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";
        await database.ExecuteSqlRawAsync(history.GetCreateIfNotExistsScript(), cancellationToken);
        await database.ExecuteSqlRawAsync(history.GetInsertScript(new HistoryRow(first, version)), cancellationToken);
    }

    /// <summary>Asked of the catalog: the history repository's own answer is cached (by Npgsql) and can be stale.</summary>
    private static async Task<bool> HistoryTableExistsAsync(DatabaseFacade database, CancellationToken cancellationToken)
    {
        var sql = database.IsNpgsql()
            ? "SELECT COUNT(*)::int AS \"Value\" FROM pg_catalog.pg_tables WHERE tablename = '__EFMigrationsHistory' AND schemaname = current_schema()"
            : "SELECT COUNT(*) AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsHistory'";
        return (await database.SqlQueryRaw<int>(sql).ToListAsync(cancellationToken)).Single() > 0;
    }
}
