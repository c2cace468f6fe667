using Hangfire.PostgreSql;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HostedPbx.Data.Hosting;

/// <summary>
/// Applies migrations. One owner does this (the admin tool, or a test fixture), never the three parts at start;
/// each migration runs in its own transaction, and EF Core's migration lock keeps two migrators from racing.
/// The job store's schema (Hangfire's own, in schema <see cref="JobSchema"/>) is installed here too, so that Web
/// creates no tables when it starts.
/// </summary>
public static class DatabaseMigrator
{
    /// <summary>The schema of Hangfire's tables; Web's job storage is configured with it.</summary>
    public const string JobSchema = "hangfire";

    public static async Task<IReadOnlyList<string>> MigrateAsync(string ownerConnectionString, CancellationToken cancellationToken)
    {
        await using var dataSource = new NpgsqlDataSourceBuilder(ownerConnectionString).Build();
        await using var db = new PbxDbContext(DataServices.CreateOptions(dataSource));
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        await db.Database.MigrateAsync(cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // Idempotent: it brings the job schema to this package's version and leaves it be when it is there.
        PostgreSqlObjectsInstaller.Install(connection, JobSchema);
        // Web runs jobs as the application role; the job tables hold no tenant data, so no row-level security.
        await using var grant = new NpgsqlCommand($"""
            GRANT USAGE ON SCHEMA {JobSchema} TO hostedpbx_app;
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {JobSchema} TO hostedpbx_app;
            GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {JobSchema} TO hostedpbx_app;
            """, connection);
        await grant.ExecuteNonQueryAsync(cancellationToken);
        return pending;
    }
}
