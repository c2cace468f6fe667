using HostedPbx.Data;
using HostedPbx.Data.Hosting;
using HostedPbx.Data.Tenancy;
using Npgsql;
using Respawn;
using Xunit;

namespace HostedPbx.Testing;

/// <summary>
/// A real PostgreSQL database for one test assembly, migrated once per run and reset with Respawn between tests.
/// The server comes from HOSTEDPBX_TEST_DB (an owner connection string; <c>./pbx test</c> starts a private
/// cluster and sets it), in the style of npgsql's NPGSQL_TEST_DB.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private Respawner? _respawner;
    private NpgsqlDataSource? _ownerSource;
    private NpgsqlDataSource? _appSource;
    private NpgsqlDataSource? _switchSource;

    public string OwnerConnectionString { get; private set; } = "";
    public string AppConnectionString { get; private set; } = "";
    public string SwitchConnectionString { get; private set; } = "";
    public string DatabaseName { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var server = Environment.GetEnvironmentVariable("HOSTEDPBX_TEST_DB")
            ?? throw new InvalidOperationException("HOSTEDPBX_TEST_DB is not set: run the tests with ./pbx test, which starts a private PostgreSQL.");
        var assembly = System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name ?? "tests";
        DatabaseName = "hostedpbx_test_" + new string([.. assembly.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')]);

        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {DatabaseName} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {DatabaseName}", admin);
            await create.ExecuteNonQueryAsync();
        }

        OwnerConnectionString = With(server, "postgres");
        AppConnectionString = With(server, "hostedpbx_app");
        SwitchConnectionString = With(server, "hostedpbx_switch");
        await DatabaseMigrator.MigrateAsync(OwnerConnectionString, CancellationToken.None);
        _ownerSource = new NpgsqlDataSourceBuilder(OwnerConnectionString).Build();
        _appSource = new NpgsqlDataSourceBuilder(AppConnectionString).Build();
        _switchSource = new NpgsqlDataSourceBuilder(SwitchConnectionString).Build();

        await using var connection = new NpgsqlConnection(OwnerConnectionString);
        await connection.OpenAsync();
        _respawner = await Respawner.CreateAsync(connection, new RespawnerOptions
        {
            DbAdapter = DbAdapter.Postgres,
            SchemasToInclude = ["public"],
            TablesToIgnore = ["__ef_migrations_history"],
        });
    }

    /// <summary>Empties every table but the migration history.</summary>
    public async Task ResetAsync()
    {
        await using var connection = new NpgsqlConnection(OwnerConnectionString);
        await connection.OpenAsync();
        await _respawner!.ResetAsync(connection);
    }

    /// <summary>A context as the table owner: no row-level security; for arranging data. All share one pool, so polls hold no idle connections of their own.</summary>
    public PbxDbContext CreateOwnerContext() => new(DataServices.CreateOptions(_ownerSource!));

    /// <summary>A context as the application role (portal and API), with the given scope.</summary>
    public PbxDbContext CreateAppContext(DbScope scope)
    {
        var db = new PbxDbContext(DataServices.CreateOptions(_appSource!));
        db.UseScope(scope);
        return db;
    }

    public PbxDbContext CreateSwitchContext() => new(DataServices.CreateOptions(_switchSource!));

    public async ValueTask DisposeAsync()
    {
        if (_ownerSource is not null)
        {
            await _ownerSource.DisposeAsync();
        }

        if (_appSource is not null)
        {
            await _appSource.DisposeAsync();
        }

        if (_switchSource is not null)
        {
            await _switchSource.DisposeAsync();
        }
    }

    private string With(string server, string user) =>
        new NpgsqlConnectionStringBuilder(server) { Database = DatabaseName, Username = user, Pooling = true }.ConnectionString;
}
