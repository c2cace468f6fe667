using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.EndToEndTests.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.EndToEndTests.Identity;

/// <summary>
/// Found by attack: after its certificate was revoked, its device disabled, its line unbound or its tenant suspended, a
/// handset's open connection, kept alive by CRLF pings, went on registering and calling. An admin's change now reaches
/// open connections through PostgreSQL NOTIFY (the periodic reload is set to an hour, so only the notice can explain it).
/// </summary>
public sealed class OpenConnectionIdentityTests(PostgresFixture database) : IAsyncLifetime
{
    private static readonly Dictionary<string, string?> s_hourlyReload = new() { ["Switch__DirectoryRefreshSeconds"] = "3600" };
    private static readonly TimeSpan s_closeWithin = TimeSpan.FromSeconds(1);
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await database.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task RevokeCertificate_OpenRegisteredConnection_ClosedWithinOneSecondBindingGoneAndAudited()
    {
        await using var sut = await SwitchUnderTest.StartAsync(database, s_hourlyReload, null, _cancel);
        var handset = sut.DeviceCertificate("202");

        await AssertClosedAfterAsync(sut, "202", async db =>
        {
            var certificate = await db.DeviceCertificates.SingleAsync(c => c.Fingerprint == handset.Fingerprint, _cancel);
            certificate.Revoke(RevocationReason.KeyCompromise, TimeProvider.System.GetUtcNow());
            await db.SaveChangesAsync(_cancel);
        }, "Revoked");
    }

    [Fact]
    public async Task DisableDevice_OpenRegisteredConnection_ClosedWithinOneSecondBindingGoneAndAudited()
    {
        await using var sut = await SwitchUnderTest.StartAsync(database, s_hourlyReload, null, _cancel);

        await AssertClosedAfterAsync(sut, "203", db => db.Devices.Where(d => d.Mac == SwitchUnderTest.MacOf("203"))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeviceStatus.Disabled), _cancel), "device not active");
    }

    [Fact]
    public async Task SuspendTenant_OpenRegisteredConnection_ClosedWithinOneSecondBindingGoneAndAudited()
    {
        await using var sut = await SwitchUnderTest.StartAsync(database, s_hourlyReload, null, _cancel);

        await AssertClosedAfterAsync(sut, "201", async db =>
        {
            var tenant = await db.Tenants.SingleAsync(t => t.Id == sut.Tenant!.Id, _cancel);
            tenant.Suspend(TimeProvider.System.GetUtcNow());
            await db.SaveChangesAsync(_cancel);
        }, "tenant not active");
    }

    [Fact]
    public async Task UnbindLine_OpenConnection_RegisterAndInviteForThatExtensionRefusedAndItsBindingGone()
    {
        await using var sut = await SwitchUnderTest.StartAsync(database, s_hourlyReload, null, _cancel);
        await using var handset = await HandsetConnection.OpenAsync(sut, sut.DeviceCertificate("203"), _cancel);
        Assert.Equal(200, await handset.RegisterAsync("203", sut.SipPort, _cancel));
        await WaitForRegistrationsAsync(sut, "203", expected: 1);

        await using (var db = database.CreateOwnerContext())
        {
            await db.DeviceLines.Where(l => l.Device!.Mac == SwitchUnderTest.MacOf("203")).ExecuteDeleteAsync(_cancel);
        }

        // The binding goes without anything sent on the connection: calls to 203 no longer reach this handset.
        await WaitForRegistrationsAsync(sut, "203", expected: 0);
        Assert.Equal(403, await handset.RegisterAsync("203", sut.SipPort, _cancel));
        Assert.Equal(403, await handset.InviteAsync("203", "201", sut.SipPort, _cancel));
        // The device itself is still good: its connection stays.
        Assert.True(await handset.PingAsync(_cancel), "the connection of a device that lost a line was closed\n" + sut.Output);
    }

    private async Task AssertClosedAfterAsync(SwitchUnderTest sut, string extension, Func<PbxDbContext, Task> change, string reason)
    {
        await using var handset = await HandsetConnection.OpenAsync(sut, sut.DeviceCertificate(extension), _cancel);
        Assert.Equal(200, await handset.RegisterAsync(extension, sut.SipPort, _cancel));
        await WaitForRegistrationsAsync(sut, extension, expected: 1);
        Assert.True(await handset.PingAsync(_cancel));

        await using (var db = database.CreateOwnerContext())
        {
            await change(db);
        }

        var closedAfter = await handset.WaitUntilClosedAsync(TimeSpan.FromSeconds(10), _cancel);
        Assert.True(closedAfter is not null, "the open connection was not closed\n" + sut.Output);
        TestContext.Current.TestOutputHelper?.WriteLine($"closed {closedAfter.Value.TotalMilliseconds:0} ms after the change was committed");
        Assert.True(closedAfter <= s_closeWithin, $"the open connection was closed after {closedAfter!.Value.TotalMilliseconds:0} ms\n" + sut.Output);
        Assert.Null(await handset.RegisterAsync(extension, sut.SipPort, _cancel));
        await WaitForRegistrationsAsync(sut, extension, expected: 0);
        var audit = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.AuditEvents.AsNoTracking()
                .FirstOrDefaultAsync(a => a.Action == "sip.connection" && a.ActorName == SwitchUnderTest.MacOf(extension), _cancel);
        }, TimeSpan.FromSeconds(10), () => "the audit event of the closed connection\n" + sut.Output);
        Assert.Equal(AuditOutcome.Denied, audit.Outcome);
        Assert.Contains(reason, audit.Reason, StringComparison.Ordinal);
    }

    private async Task WaitForRegistrationsAsync(SwitchUnderTest sut, string extension, int expected) =>
        await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            var mac = SwitchUnderTest.MacOf(extension);
            var count = await db.Registrations.CountAsync(r => db.Devices.Any(d => d.Id == r.DeviceId && d.Mac == mac), _cancel);
            return count == expected ? (object)count : null;
        }, TimeSpan.FromSeconds(10), () => $"{expected} registration(s) of {extension}\n" + sut.Output);
}
