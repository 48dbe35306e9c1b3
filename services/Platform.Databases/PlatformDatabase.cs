using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Platform.Databases;

/// <summary>The database engines the platform's relational stores run on.</summary>
public enum DatabaseProvider
{
    /// <summary>A file per database: the embedded default for one machine.</summary>
    Sqlite,

    /// <summary>A server shared by every instance: production.</summary>
    PostgreSQL,
}

/// <summary>
/// One of the platform's relational databases (identity, read model, web app): which engine, and how to
/// reach it. The engine is <c>Platform:Database:Provider</c> (one setting for all of them), the address
/// <c>ConnectionStrings:{name}</c>. Without a connection string SQLite uses a file under the
/// repository's <c>.data</c> folder; PostgreSQL needs one.
/// </summary>
public sealed record DatabaseConnection(DatabaseProvider Provider, string ConnectionString)
{
    public const string ProviderKey = "Platform:Database:Provider";

    /// <param name="name">The connection string's name: <c>identity-db</c>, <c>readmodel</c>, <c>webadmin-db</c>.</param>
    /// <param name="defaultFile">The SQLite file under <c>.data</c> when no connection string is given, e.g. <c>readmodel/complaints.db</c>.</param>
    public static DatabaseConnection From(IConfiguration configuration, IHostEnvironment environment, string name, string defaultFile)
    {
        var provider = ProviderFrom(configuration);
        var given = configuration.GetConnectionString(name);
        if (provider == DatabaseProvider.PostgreSQL)
        {
            return string.IsNullOrWhiteSpace(given)
                ? throw new InvalidOperationException($"{ProviderKey} is PostgreSQL but ConnectionStrings:{name} is not set.")
                : new(provider, given);
        }
        var connection = string.IsNullOrWhiteSpace(given)
            ? $"Data Source={Path.Combine(environment.ContentRootPath, "..", "..", ".data", defaultFile)}"
            : given;
        return new(provider, AnchorSqlite(connection, environment.ContentRootPath));
    }

    /// <summary>A SQLite file (its folder is made).</summary>
    public static DatabaseConnection Sqlite(string file) => new(DatabaseProvider.Sqlite, AnchorSqlite($"Data Source={file}", Directory.GetCurrentDirectory()));

    public static DatabaseProvider ProviderFrom(IConfiguration configuration)
    {
        var text = configuration[ProviderKey];
        if (string.IsNullOrWhiteSpace(text)) return DatabaseProvider.Sqlite;
        return Enum.TryParse<DatabaseProvider>(text, ignoreCase: true, out var provider) && Enum.IsDefined(provider)
            ? provider
            : throw new InvalidOperationException($"{ProviderKey} is '{text}'; it must be Sqlite or PostgreSQL.");
    }

    /// <summary>A relative SQLite file is relative to the content root (not to wherever the process was started), and its folder is made.</summary>
    private static string AnchorSqlite(string connectionString, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.DataSource is { Length: > 0 } file && file != ":memory:" && builder.Mode != SqliteOpenMode.Memory)
        {
            builder.DataSource = Path.GetFullPath(Path.IsPathRooted(file) ? file : Path.Combine(contentRoot, file));
            Directory.CreateDirectory(Path.GetDirectoryName(builder.DataSource)!);
        }
        return builder.ToString();
    }

    /// <summary>The SQLite file this connection uses, or null (PostgreSQL, memory).</summary>
    public string? SqliteFile => Provider == DatabaseProvider.Sqlite && new SqliteConnectionStringBuilder(ConnectionString).DataSource is { Length: > 0 } file && file != ":memory:" ? file : null;

    public void Configure(DbContextOptionsBuilder options)
    {
        if (Provider == DatabaseProvider.PostgreSQL) options.UseNpgsql(ConnectionString);
        else options.UseSqlite(ConnectionString);
    }
}

public static class PlatformDatabaseSetup
{
    /// <summary>
    /// Registers <typeparamref name="TContext"/> as the context of the chosen engine: <typeparamref name="TSqlite"/> or
    /// <typeparamref name="TPostgres"/>, each a subclass that only names whose migrations it runs. The schema is
    /// migrated before the host takes requests.
    /// </summary>
    public static IServiceCollection AddPlatformDatabase<TContext, TSqlite, TPostgres>(this IServiceCollection services, DatabaseConnection connection, Action<DbContextOptionsBuilder>? configure = null)
        where TContext : DbContext where TSqlite : TContext where TPostgres : TContext
    {
        void Options(DbContextOptionsBuilder options)
        {
            connection.Configure(options);
            configure?.Invoke(options);
        }
        if (connection.Provider == DatabaseProvider.PostgreSQL) services.AddDbContext<TContext, TPostgres>(Options);
        else services.AddDbContext<TContext, TSqlite>(Options);
        services.TryAddSingleton(new DatabaseOf<TContext>(connection));
        services.AddHostedService<DatabaseMigrator<TContext>>();
        return services;
    }

    /// <summary>
    /// As <see cref="AddPlatformDatabase{TContext,TSqlite,TPostgres}"/>, for stores used through <see cref="IDbContextFactory{TContext}"/>
    /// (singletons, grains). The contexts are pooled: a list page makes one per request, and setting up a new one (its
    /// services, its connection object) was 8 % of the gateway's time on a page of the complaint list (perf, 5 December).
    /// </summary>
    public static IServiceCollection AddPlatformDatabaseFactory<TContext, TSqlite, TPostgres>(this IServiceCollection services, DatabaseConnection connection)
        where TContext : DbContext where TSqlite : TContext where TPostgres : TContext
    {
        if (connection.Provider == DatabaseProvider.PostgreSQL)
        {
            services.AddPooledDbContextFactory<TPostgres>(connection.Configure);
            services.AddSingleton<IDbContextFactory<TContext>>(sp => new SubclassFactory<TContext, TPostgres>(sp.GetRequiredService<IDbContextFactory<TPostgres>>()));
        }
        else
        {
            services.AddPooledDbContextFactory<TSqlite>(connection.Configure);
            services.AddSingleton<IDbContextFactory<TContext>>(sp => new SubclassFactory<TContext, TSqlite>(sp.GetRequiredService<IDbContextFactory<TSqlite>>()));
        }
        // Libraries that resolve the context itself (Data Protection's key store) get one per scope.
        services.TryAddScoped<TContext>(sp => sp.GetRequiredService<IDbContextFactory<TContext>>().CreateDbContext());
        services.TryAddSingleton(new DatabaseOf<TContext>(connection));
        services.AddHostedService<DatabaseMigrator<TContext>>();
        return services;
    }

    private sealed class SubclassFactory<TContext, TEngine>(IDbContextFactory<TEngine> inner) : IDbContextFactory<TContext>
        where TContext : DbContext where TEngine : TContext
    {
        public TContext CreateDbContext() => inner.CreateDbContext();

        public async Task<TContext> CreateDbContextAsync(CancellationToken cancellationToken = default) => await inner.CreateDbContextAsync(cancellationToken);
    }
}

/// <summary>Where <typeparamref name="TContext"/>'s database is (for backups and diagnostics).</summary>
public sealed record DatabaseOf<TContext>(DatabaseConnection Connection);
