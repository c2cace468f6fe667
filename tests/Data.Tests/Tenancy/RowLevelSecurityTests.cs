using HostedPbx.Data.Entities;
using HostedPbx.Data.Tenancy;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HostedPbx.Data.Tests.Tenancy;

/// <summary>The second wall: PostgreSQL itself keeps tenants apart, whatever SQL the application sends.</summary>
public sealed class RowLevelSecurityTests(PostgresFixture database) : IAsyncLifetime
{
    private static readonly string[] TenantTables =
    [
        "extensions", "devices", "device_lines", "device_certificates", "trunks", "inbound_numbers", "outbound_routes",
        "recording_policies", "retention_settings", "call_records", "call_legs", "recordings", "voicemail_messages",
        "registrations",
    ];

    private TestTenants.Arranged _a = null!;
    private TestTenants.Arranged _b = null!;

    public async ValueTask InitializeAsync()
    {
        await database.ResetAsync();
        await using var owner = database.CreateOwnerContext();
        _a = await TestTenants.AddAsync(owner, "Alpha", "0015651a0001");
        _b = await TestTenants.AddAsync(owner, "Bravo", "0015651a0002");
        foreach (var arranged in new[] { _a, _b })
        {
            var call = new CallRecord
            {
                TenantId = arranged.Tenant.Id, SipCallId = $"call-{arranged.Tenant.Name}", FromParty = "201", ToParty = "202",
                StartedAt = TestClock.Now,
            };
            call.Legs.Add(new CallLegRecord
            {
                TenantId = arranged.Tenant.Id, Position = 0, Party = "201", Kind = LegKind.Handset,
                Transport = SignallingTransport.Tls, TlsVersion = "TLS 1.3", MediaProtection = MediaProtection.Srtp,
                SrtpSuite = "AES_CM_128_HMAC_SHA1_80",
            });
            owner.CallRecords.Add(call);
            owner.RetentionSettings.Add(new RetentionSettings { TenantId = arranged.Tenant.Id });
        }

        await owner.SaveChangesAsync();
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task AppRole_NoScopeSet_ReadsNoTenantRows()
    {
        // A bare connection of the application role, as a query bug or a forgotten scope would see it.
        await using var connection = new NpgsqlConnection(database.AppConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using (var reset = new NpgsqlCommand("RESET ALL", connection))
        {
            await reset.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        foreach (var table in TenantTables.Append("tenants").Append("resellers").Append("api_keys").Append("portal_users"))
        {
            Assert.Equal(0L, await CountAsync(connection, $"SELECT count(*) FROM {table}"));
        }

        Assert.Equal(2L, await CountAsync(database.OwnerConnectionString, "SELECT count(*) FROM extensions"));
    }

    [Fact]
    public async Task AppRole_NoneScopeThroughContext_ReadsNothing()
    {
        await using var db = database.CreateAppContext(DbScope.None);

        Assert.Equal(0, await db.Extensions.CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, await db.Tenants.CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task TenantScope_HandWrittenSql_ReadsOnlyItsOwnRows()
    {
        await using var db = database.CreateAppContext(DbScope.ForTenant(_a.Tenant.Id));

        // No ForTenant filter here on purpose: the database alone must keep Bravo's rows out.
        foreach (var table in new[] { "extensions", "devices", "device_lines", "call_records", "call_legs", "retention_settings" })
        {
            var tenants = await db.Database.SqlQueryRaw<Guid>($"SELECT DISTINCT tenant_id AS \"Value\" FROM {table}")
                .ToListAsync(TestContext.Current.CancellationToken);
            Assert.Equal([_a.Tenant.Id], tenants);
        }

        var names = await db.Database.SqlQueryRaw<string>("SELECT name AS \"Value\" FROM tenants").ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["Alpha"], names);
    }

    [Fact]
    public async Task TenantScope_ReadsOtherTenantById_FindsNothing()
    {
        await using var db = database.CreateAppContext(DbScope.ForTenant(_a.Tenant.Id));

        Assert.Null(await db.Devices.FirstOrDefaultAsync(d => d.Id == _b.Device.Id, TestContext.Current.CancellationToken));
        Assert.Null(await db.Extensions.FirstOrDefaultAsync(e => e.Id == _b.Extension.Id, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task TenantScope_InsertIntoOtherTenant_IsRefusedByPolicy()
    {
        await using var db = database.CreateAppContext(DbScope.ForTenant(_a.Tenant.Id));
        db.Extensions.Add(new Extension { TenantId = _b.Tenant.Id, Number = "299", DisplayName = "Intruder", CreatedAt = TestClock.Now });

        var error = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(TestContext.Current.CancellationToken));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, Assert.IsType<PostgresException>(error.InnerException).SqlState);
        Assert.Equal(1L, await CountAsync(database.OwnerConnectionString, $"SELECT count(*) FROM extensions WHERE tenant_id = '{_b.Tenant.Id}'"));
    }

    [Fact]
    public async Task TenantScope_UpdateOtherTenantsRows_ChangesNothing()
    {
        await using var db = database.CreateAppContext(DbScope.ForTenant(_a.Tenant.Id));

        var changed = await db.Database.ExecuteSqlRawAsync("UPDATE extensions SET display_name = 'Hijacked'", TestContext.Current.CancellationToken);

        Assert.Equal(1, changed);
        Assert.Equal(0L, await CountAsync(database.OwnerConnectionString,
            $"SELECT count(*) FROM extensions WHERE display_name = 'Hijacked' AND tenant_id = '{_b.Tenant.Id}'"));
    }

    [Fact]
    public async Task ResellerScope_SeesItsTenantsOnly()
    {
        await using var owner = database.CreateOwnerContext();
        var charlie = await TestTenants.AddAsync(owner, "Charlie", "0015651a0003", await owner.Resellers.SingleAsync(r => r.Id == _a.Reseller.Id, TestContext.Current.CancellationToken));
        await using var db = database.CreateAppContext(DbScope.ForReseller(_a.Reseller.Id));

        var tenants = await db.Tenants.OrderBy(t => t.Name).Select(t => t.Name).ToListAsync(TestContext.Current.CancellationToken);
        var devices = await db.Devices.Select(d => d.TenantId).Distinct().CountAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["Alpha", "Charlie"], tenants);
        Assert.Equal(2, devices);
        Assert.Equal([_a.Reseller.Id], await db.Resellers.Select(r => r.Id).ToListAsync(TestContext.Current.CancellationToken));
        Assert.NotEqual(charlie.Tenant.Id, _b.Tenant.Id);
    }

    [Fact]
    public async Task ResellerScope_CannotCreateTenantForAnotherReseller()
    {
        await using var db = database.CreateAppContext(DbScope.ForReseller(_a.Reseller.Id));
        db.Tenants.Add(new Tenant { Name = "Smuggled", ResellerId = _b.Reseller.Id, CreatedAt = TestClock.Now });

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task PooledConnection_AfterScopedUse_DoesNotCarryScopeToNextContext()
    {
        await using (var scoped = database.CreateAppContext(DbScope.ForTenant(_a.Tenant.Id)))
        {
            Assert.Equal(1, await scoped.Extensions.CountAsync(TestContext.Current.CancellationToken));
        }

        await using var unscoped = database.CreateAppContext(DbScope.None);

        Assert.Equal(0, await unscoped.Extensions.CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task UseScope_OnOpenConnection_AppliesAtOnce()
    {
        await using var db = database.CreateAppContext(DbScope.ForTenant(_a.Tenant.Id));
        await db.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);

        db.UseScope(DbScope.ForTenant(_b.Tenant.Id));

        Assert.Equal([_b.Extension.Id], await db.Extensions.Select(e => e.Id).ToListAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task SwitchRole_ReadsDevicesOfAllTenants_ButNoKeysOrUsers()
    {
        await using var db = database.CreateSwitchContext();

        Assert.Equal(2, await db.Devices.CountAsync(TestContext.Current.CancellationToken));
        foreach (var table in new[] { "api_keys", "portal_users", "resellers", "portal_user_tokens" })
        {
            var error = await Assert.ThrowsAsync<PostgresException>(() =>
                db.Database.SqlQueryRaw<long>($"SELECT count(*) AS \"Value\" FROM {table}").SingleAsync(TestContext.Current.CancellationToken));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        }
    }

    [Theory]
    [InlineData("DELETE FROM certificate_revocations")]
    [InlineData("UPDATE certificate_revocations SET serial = '01'")]
    [InlineData("INSERT INTO certificate_revocations (id, issuer_id, serial, fingerprint, mac, revoked_at, not_after) SELECT gen_random_uuid(), id, '01', fingerprint, '001565000001', now(), now() FROM trust_anchors")]
    public async Task CertificateRevocations_AppRole_CanNeitherWriteNorErase(string sql)
    {
        await using var db = database.CreateAppContext(DbScope.System);

        var error = await Assert.ThrowsAsync<PostgresException>(() => db.Database.ExecuteSqlRawAsync(sql, TestContext.Current.CancellationToken));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
    }

    [Theory]
    [InlineData("trust_anchors")]
    [InlineData("device_certificates")]
    public async Task SwitchRole_ReadsCertificatesButNotTheirPrivateKeys(string table)
    {
        await using var db = database.CreateSwitchContext();

        var fingerprints = await db.Database.SqlQueryRaw<long>($"SELECT count(fingerprint) AS \"Value\" FROM {table}")
            .SingleAsync(TestContext.Current.CancellationToken);
        var error = await Assert.ThrowsAsync<PostgresException>(() =>
            db.Database.SqlQueryRaw<long>($"SELECT count(protected_private_key) AS \"Value\" FROM {table}").SingleAsync(TestContext.Current.CancellationToken));

        Assert.True(fingerprints >= 0);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
    }

    [Fact]
    public async Task SwitchRole_CannotChangeConfiguration()
    {
        await using var db = database.CreateSwitchContext();

        var error = await Assert.ThrowsAsync<PostgresException>(() =>
            db.Database.ExecuteSqlRawAsync("UPDATE devices SET status = 'Disabled'", TestContext.Current.CancellationToken));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
    }

    [Fact]
    public async Task AuditEvents_AppRole_CanAppendButNotRewrite()
    {
        await using var db = database.CreateAppContext(DbScope.ForTenant(_a.Tenant.Id));
        db.AuditEvents.Add(new AuditEvent
        {
            OccurredAt = TestClock.Now, TenantId = _a.Tenant.Id, ActorKind = AuditActorKind.System, ActorName = "test",
            Action = "test.append", Outcome = AuditOutcome.Success,
        });
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<PostgresException>(() =>
            db.Database.ExecuteSqlRawAsync("DELETE FROM audit_events", TestContext.Current.CancellationToken));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
    }

    [Fact]
    public async Task EveryTableWithTenantId_HasRowLevelSecurityAndAnAppPolicy()
    {
        const string sql = """
            SELECT c.relname FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
            WHERE c.relkind = 'r'
              AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
              AND (NOT c.relrowsecurity OR NOT EXISTS (
                  SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND 'hostedpbx_app'::regrole = ANY (p.polroles)))
            """;
        await using var connection = new NpgsqlConnection(database.OwnerConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        var unguarded = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken))
        {
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                unguarded.Add(reader.GetString(0));
            }
        }

        Assert.Empty(unguarded);
    }

    private static async Task<long> CountAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return await CountAsync(connection, sql);
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
