using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace HostedPbx.Data.Hosting;

/// <summary>
/// Before a part starts serving: the database must answer and its schema must be this build's. A part never
/// migrates on its own (that is the admin tool's job), so three parts cannot race over a migration.
/// </summary>
internal sealed class DatabaseStartupCheck(IDbContextFactory<PbxDbContext> factory) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var where = Describe(db.Database.GetConnectionString());
        List<string> pending;
        try
        {
            pending = [.. await db.Database.GetPendingMigrationsAsync(cancellationToken)];
        }
        catch (NpgsqlException e) when (e.SqlState is "28000" or "28P01" or "3D000")
        {
            throw new StartupCheckException($"The database at {where} refused this part's login or database name ({e.Message.Trim()}): fix Database:ConnectionString.", e);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            throw new StartupCheckException($"The database at {where} does not answer: start it (./pbx db start) or fix Database:ConnectionString.", e);
        }

        if (pending.Count > 0)
        {
            throw new StartupCheckException($"The database schema at {where} is behind this build ({pending.Count} migration(s) pending, first {pending[0]}): run ./pbx migrate.");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static string Describe(string? connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // Several hosts carry their ports (Host=db1:5432,db2:5432).
        var hosts = builder.Host?.Contains(',', StringComparison.Ordinal) == true ? builder.Host : $"{builder.Host}:{builder.Port}";
        return $"{hosts}/{builder.Database} as {builder.Username}";
    }
}
