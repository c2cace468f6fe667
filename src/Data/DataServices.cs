using HostedPbx.Data.Hosting;
using HostedPbx.Data.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace HostedPbx.Data;

/// <summary>Registers the model for a part: options, a pooled context factory, a scoped context, and a health check.</summary>
public static class DataServices
{
    public static IHostApplicationBuilder AddPbxData(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => IsConnectionString(o.ConnectionString),
                "Database:ConnectionString is not a valid Npgsql connection string (expected e.g. Host=127.0.0.1;Port=54329;Database=hostedpbx;Username=hostedpbx_app).")
            .Validate(o => !IsConnectionString(o.ConnectionString) || WritesOnlyToPrimary(o.ConnectionString),
                "Database:ConnectionString names several hosts but not Target Session Attributes=read-write: a part could write to a replica "
                + "(expected e.g. Host=db1:5432,db2:5432;Target Session Attributes=read-write;…).")
            .ValidateOnStart();
        builder.Services.AddSingleton(sp =>
            new NpgsqlDataSourceBuilder(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString).Build());
        builder.Services.AddPooledDbContextFactory<PbxDbContext>((sp, options) =>
            Configure(options, sp.GetRequiredService<NpgsqlDataSource>()));
        builder.Services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<PbxDbContext>>().CreateDbContext());
        // Registered first so that it runs before any other hosted service starts serving.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService, DatabaseStartupCheck>());
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        return builder;
    }

    /// <summary>
    /// The one place the model's provider options are set: used by parts, tools and tests alike. Transient failures
    /// (a failover, a dead pooled connection after an outage) are retried (<see cref="FailoverExecutionStrategy"/>).
    /// </summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, NpgsqlDataSource dataSource) =>
        options.UseNpgsql(dataSource, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history")
                .ExecutionStrategy(dependencies => new FailoverExecutionStrategy(dependencies)))
            .UseSnakeCaseNamingConvention()
            .AddInterceptors(new DbScopeInterceptor());

    public static DbContextOptions<PbxDbContext> CreateOptions(NpgsqlDataSource dataSource) =>
        ((DbContextOptionsBuilder<PbxDbContext>)Configure(new DbContextOptionsBuilder<PbxDbContext>(), dataSource)).Options;

    /// <summary>With several hosts, only the one that takes writes may be chosen (Patroni's primary), never a replica.</summary>
    private static bool WritesOnlyToPrimary(string value)
    {
        var builder = new NpgsqlConnectionStringBuilder(value);
        return builder.Host is null || !builder.Host.Contains(',', StringComparison.Ordinal)
            || builder.TargetSessionAttributes is "read-write" or "primary";
    }

    private static bool IsConnectionString(string value)
    {
        try
        {
            _ = new NpgsqlConnectionStringBuilder(value);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
