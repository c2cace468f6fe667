using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Calls.Trunks;
using HostedPbx.Switch.Sip.Transport.Peers;
using HostedPbx.Testing;
using HostedPbx.Testing.Pstn;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace HostedPbx.Switch.Tests.Pstn;

/// <summary>
/// What the switch's own database role reads for inbound calls (issue 11): each number with the extension it rings, the
/// trunk (and so the carrier) that may deliver it, and which tenants are suspended; decided as a carrier's INVITE is.
/// </summary>
public sealed class InboundDirectoryTests
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Load_AsTheSwitchRole_NumberRingsItsExtensionOnlyFromItsCarrierAndNotWhileSuspended()
    {
        await using var database = await PostgresFixture.OwnAsync("switch_pstn_inbound");
        TestTenants.Arranged active;
        TestTenants.Arranged suspended;
        TestPstn.Arranged activePstn;
        TestPstn.Arranged suspendedPstn;
        await using (var owner = database.CreateOwnerContext())
        {
            active = await TestTenants.AddAsync(owner, $"Inbound {Guid.NewGuid():N}", $"0015651{Random.Shared.Next(0, 0xFFFFF):x5}");
            suspended = await TestTenants.AddAsync(owner, $"Inbound {Guid.NewGuid():N}", $"0015652{Random.Shared.Next(0, 0xFFFFF):x5}");
            activePstn = await TestPstn.AddAsync(owner, active.Tenant.Id, active.Extension.Id, "+4930111000");
            suspendedPstn = await TestPstn.AddAsync(owner, suspended.Tenant.Id, suspended.Extension.Id, "+4930222000");
            var row = await owner.Tenants.SingleAsync(t => t.Id == suspended.Tenant.Id, _ct);
            row.Suspend(TestClock.Now);
            await owner.SaveChangesAsync(_ct);
        }

        var contexts = new PooledDbContextFactory<PbxDbContext>(
            database.SwitchOptions);
        var directory = await new PstnDirectoryLoader(contexts).LoadAsync(_ct);

        var ownCarrier = Identity(activePstn.Carrier);
        var admitted = InboundAdmission.Decide(directory, ownCarrier, "4930111000");
        Assert.Equal((active.Tenant.Id, activePstn.Trunk.Id, active.Extension.Number), (admitted.Number?.TenantId, admitted.Trunk?.Id, admitted.Extension));

        // The other tenant's carrier may not deliver this tenant's number; the suspended tenant's own carrier gets 403.
        var otherCarrier = InboundAdmission.Decide(directory, Identity(suspendedPstn.Carrier), "+4930111000");
        Assert.Equal((404, "Number Not Assigned"), (otherCarrier.Status, otherCarrier.Reason));
        Assert.NotNull(otherCarrier.AuditReason);
        var whileSuspended = InboundAdmission.Decide(directory, Identity(suspendedPstn.Carrier), "+4930222000");
        Assert.Equal((403, false), (whileSuspended.Status, whileSuspended.Admitted));
    }

    private static PeerIdentity Identity(Carrier carrier) =>
        new(PeerKind.Trunk, carrier.Name, carrier.Id, null, $"CN={carrier.Host}", "00", true, "the configured carrier anchors");
}
