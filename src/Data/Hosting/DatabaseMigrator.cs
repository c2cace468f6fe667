using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HostedPbx.Data.Hosting;

/// <summary>
/// Applies migrations. One owner does this (the admin tool, or a test fixture), never the three parts at start;
/// each migration runs in its own transaction, and EF Core's migration lock keeps two migrators from racing.
/// </summary>
public static class DatabaseMigrator
{
    public static async Task<IReadOnlyList<string>> MigrateAsync(string ownerConnectionString, CancellationToken cancellationToken)
    {
        await using var dataSource = new NpgsqlDataSourceBuilder(ownerConnectionString).Build();
        await using var db = new PbxDbContext(DataServices.CreateOptions(dataSource));
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        await db.Database.MigrateAsync(cancellationToken);
        return pending;
    }
}
