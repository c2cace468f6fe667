using HostedPbx.Data.Hosting;
using HostedPbx.Testing.Failover;
using Npgsql;

namespace HostedPbx.Data.Tests;

/// <summary>
/// The platform's roles are the cluster's, not a database's: two databases of one fresh cluster migrated at the same
/// moment (the test assemblies' are, and an operator may migrate two deployments) both try to create them.
/// </summary>
public sealed class MigrationRaceTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Migrate_WhileAnotherDatabaseCreatesTheRoles_BothEndMigrated()
    {
        await using var cluster = await ScratchCluster.StartAsync();
        await using (var create = new NpgsqlConnection(cluster.OwnerConnectionString))
        {
            await create.OpenAsync(Cancel);
            await using var command = new NpgsqlCommand("CREATE DATABASE first_deployment", create);
            await command.ExecuteNonQueryAsync(Cancel);
        }

        // The other migration has created the app role and not committed yet: this one's CREATE ROLE waits on it.
        await using var other = new NpgsqlConnection(cluster.OwnerConnectionString);
        await other.OpenAsync(Cancel);
        var otherTransaction = await other.BeginTransactionAsync(Cancel);
        await using (var role = new NpgsqlCommand("CREATE ROLE hostedpbx_app LOGIN NOSUPERUSER NOBYPASSRLS", other, otherTransaction))
        {
            await role.ExecuteNonQueryAsync(Cancel);
        }

        var first = new NpgsqlConnectionStringBuilder(cluster.OwnerConnectionString) { Database = "first_deployment" }.ConnectionString;
        var migrating = DatabaseMigrator.MigrateAsync(first, Cancel);
        var started = TimeProvider.System.GetTimestamp();
        while (!await WaitingOnALockAsync(cluster.OwnerConnectionString))
        {
            if (migrating.IsCompleted)
            {
                await migrating;
                Assert.Fail("the migration ended without waiting on the other's role");
            }

            Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(60), "the migration never reached the role");
            await Task.Delay(50, Cancel);
        }

        await otherTransaction.CommitAsync(Cancel);

        await migrating;
        await using var check = new NpgsqlConnection(first);
        await check.OpenAsync(Cancel);
        await using var roles = new NpgsqlCommand("SELECT count(*) FROM pg_roles WHERE rolname IN ('hostedpbx_app', 'hostedpbx_switch')", check);
        Assert.Equal(2L, await roles.ExecuteScalarAsync(Cancel));
        await using var pending = new NpgsqlCommand("SELECT count(*) FROM __ef_migrations_history", check);
        Assert.True((long)(await pending.ExecuteScalarAsync(Cancel))! > 1, "the migration history is empty");
    }

    private static async Task<bool> WaitingOnALockAsync(string server)
    {
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync(Cancel);
        await using var waiting = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = 'first_deployment'", connection);
        return (long)(await waiting.ExecuteScalarAsync(Cancel))! > 0;
    }
}
