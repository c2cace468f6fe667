using HostedPbx.Data.Entities;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HostedPbx.Data.Tests;

/// <summary>The model's rules live in the database too, so hand-written SQL and future code cannot break them.</summary>
public sealed class ConstraintTests(PostgresFixture database) : IAsyncLifetime
{
    private TestTenants.Arranged _a = null!;
    private TestTenants.Arranged _b = null!;

    public async ValueTask InitializeAsync()
    {
        await database.ResetAsync();
        await using var owner = database.CreateOwnerContext();
        _a = await TestTenants.AddAsync(owner, "Alpha", "0015651a0001");
        _b = await TestTenants.AddAsync(owner, "Bravo", "0015651a0002");
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Device_SameMacInAnotherTenant_IsRefused()
    {
        var error = await SaveAsync(db => db.Devices.Add(new Device
        {
            TenantId = _b.Tenant.Id, Mac = _a.Device.Mac, Vendor = DeviceVendor.Snom, Model = "D785", CreatedAt = TestClock.Now,
        }));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);
        Assert.Equal("ix_devices_mac", error.ConstraintName);
    }

    [Fact]
    public async Task DeviceLine_BoundToAnotherTenantsExtension_IsRefused()
    {
        var error = await SaveAsync(db => db.DeviceLines.Add(new DeviceLine
        {
            TenantId = _a.Tenant.Id, DeviceId = _a.Device.Id, Position = 2, ExtensionId = _b.Extension.Id,
        }));

        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, error.SqlState);
    }

    [Fact]
    public async Task Extension_DuplicateNumberInTenant_IsRefused_ButAllowedInAnother()
    {
        var error = await SaveAsync(db => db.Extensions.Add(new Extension
        {
            TenantId = _a.Tenant.Id, Number = "201", DisplayName = "Twin", CreatedAt = TestClock.Now,
        }));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);
        await using var owner = database.CreateOwnerContext();
        Assert.Equal(2, await owner.Extensions.CountAsync(e => e.Number == "201", TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("UPDATE devices SET mac = '0015651A0001'", "ck_devices_mac")]
    [InlineData("UPDATE devices SET status = 'Stolen'", "ck_devices_status_values")]
    [InlineData("UPDATE extensions SET number = '2a1'", "ck_extensions_number")]
    [InlineData("UPDATE tenants SET max_extensions = 0", "ck_tenants_max_extensions")]
    [InlineData("UPDATE tenants SET status = 'Suspended'", "ck_tenants_suspended_at")]
    [InlineData("UPDATE device_lines SET position = 0", "ck_device_lines_position")]
    public async Task HandWrittenSql_BreakingAnInvariant_IsRefused(string sql, string constraint)
    {
        await using var connection = new NpgsqlConnection(database.OwnerConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);

        var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));

        Assert.Equal(PostgresErrorCodes.CheckViolation, error.SqlState);
        Assert.Equal(constraint, error.ConstraintName);
    }

    [Fact]
    public async Task CallLeg_ClaimingSrtpWithoutSuite_IsRefused()
    {
        var call = new CallRecord
        {
            TenantId = _a.Tenant.Id, SipCallId = "c1", FromParty = "201", ToParty = "202", StartedAt = TestClock.Now,
        };
        call.Legs.Add(new CallLegRecord
        {
            TenantId = _a.Tenant.Id, Position = 0, Party = "201", Transport = SignallingTransport.Tls, TlsVersion = "TLS 1.3",
            MediaProtection = MediaProtection.Srtp, SrtpSuite = null,
        });

        var error = await SaveAsync(db => db.CallRecords.Add(call));

        Assert.Equal("ck_call_legs_srtp_suite", error.ConstraintName);
        await using var owner = database.CreateOwnerContext();
        Assert.Equal(0, await owner.CallRecords.CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task PortalUser_TenantAdminWithoutTenant_IsRefused()
    {
        var error = await SaveAsync(db => db.Users.Add(new PortalUser
        {
            UserName = "x@example.test", DisplayName = "X", Role = PortalRole.TenantAdmin, ResellerId = _a.Reseller.Id,
            CreatedAt = TestClock.Now,
        }));

        Assert.Equal("ck_portal_users_scope", error.ConstraintName);
    }

    [Fact]
    public async Task Tenant_DeletedWithDevices_TakesItsRowsAlong()
    {
        await using var owner = database.CreateOwnerContext();
        await owner.Tenants.Where(t => t.Id == _a.Tenant.Id).ExecuteDeleteAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0, await owner.Devices.CountAsync(d => d.TenantId == _a.Tenant.Id, TestContext.Current.CancellationToken));
        Assert.Equal(0, await owner.DeviceLines.CountAsync(l => l.TenantId == _a.Tenant.Id, TestContext.Current.CancellationToken));
        Assert.Equal(1, await owner.Devices.CountAsync(TestContext.Current.CancellationToken));
    }

    private async Task<PostgresException> SaveAsync(Action<PbxDbContext> change)
    {
        await using var owner = database.CreateOwnerContext();
        change(owner);
        var error = await Assert.ThrowsAsync<DbUpdateException>(() => owner.SaveChangesAsync(TestContext.Current.CancellationToken));
        return Assert.IsType<PostgresException>(error.InnerException);
    }
}
