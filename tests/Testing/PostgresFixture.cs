using HostedPbx.Data;
using HostedPbx.Data.Hosting;
using HostedPbx.Data.Tenancy;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Respawn;
using Xunit;

namespace HostedPbx.Testing;

/// <summary>
/// A real PostgreSQL database for one test assembly, migrated once per run and reset with Respawn between tests.
/// The server comes from HOSTEDPBX_TEST_DB (an owner connection string; <c>./pbx test</c> starts a private
/// cluster and sets it), in the style of npgsql's NPGSQL_TEST_DB. Over TCP the cluster asks for a password: the
/// string carries it or names a password file (Passfile=…, as ./pbx writes it), and the application's roles get the
/// owner's password, so one file serves all three.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    /// <summary>The test cluster's password file as ./pbx test-db writes it; used when HOSTEDPBX_TEST_DB names none.</summary>
    private const string DefaultPassfile = ".data/keys/test-pg.any.pgpass";

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
        var assembly = System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name ?? "tests";
        await InitializeAsync(TestServer(), "hostedpbx_test_" + assembly);
    }

    /// <summary>
    /// A database of its own on the test server, for tests that must not share the assembly's (each fixture drops and
    /// creates its database by name, so two fixtures of one name in one run would end each other's connections).
    /// </summary>
    public static Task<PostgresFixture> OwnAsync(string name) => CreateAsync(TestServer(), "hostedpbx_test_" + name);

    /// <summary>
    /// A database on another server than the assembly's (a Patroni pair, a cluster a test stops and starts), migrated
    /// like the assembly's; <paramref name="server"/> is an owner connection string, multi-host strings included.
    /// </summary>
    public static async Task<PostgresFixture> CreateAsync(string server, string databaseName)
    {
        var fixture = new PostgresFixture();
        await fixture.InitializeAsync(server, databaseName);
        return fixture;
    }

    private async Task InitializeAsync(string server, string databaseName)
    {
        DatabaseName = new string([.. databaseName.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')]);

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
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            // The roles are the cluster's, shared by every test assembly, which start at once: the routine takes a lock.
            await PrivateClusterRoles.ShareOwnerPasswordAsync(admin, CancellationToken.None);
        }

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

    public PbxDbContext CreateSwitchContext() => new(SwitchOptions);

    /// <summary>Context options as the switch's role, on the fixture's one pool: for a context factory the switch's stores take.</summary>
    public DbContextOptions<PbxDbContext> SwitchOptions => DataServices.CreateOptions(_switchSource!);

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

    /// <summary>./pbx test sets a string that names the password file; one typed by hand may not, and gets the repository's.</summary>
    private static string TestServer() => WithDefaultPassfile(Environment.GetEnvironmentVariable("HOSTEDPBX_TEST_DB")
        ?? throw new InvalidOperationException("HOSTEDPBX_TEST_DB is not set: run the tests with ./pbx test, which starts a private PostgreSQL."));

    private static string WithDefaultPassfile(string server)
    {
        var builder = new NpgsqlConnectionStringBuilder(server);
        if (builder.Password is not null || builder.Passfile is not null)
        {
            return server;
        }

        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "pbx")))
        {
            dir = dir.Parent;
        }

        var file = dir is null ? null : Path.Combine(dir.FullName, DefaultPassfile);
        if (file is not null && File.Exists(file))
        {
            builder.Passfile = file;
        }

        return builder.ConnectionString;
    }

    private string With(string server, string user) =>
        new NpgsqlConnectionStringBuilder(server) { Database = DatabaseName, Username = user, Pooling = true }.ConnectionString;
}
