using HostedPbx.Data;
using HostedPbx.Data.Entities;

namespace HostedPbx.Testing.Pstn;

/// <summary>A tenant's PSTN rows for tests: a carrier of the operator, a trunk on it, a number ringing the extension, a route.</summary>
public static class TestPstn
{
    public sealed record Arranged(Carrier Carrier, Trunk Trunk, InboundNumber Number, OutboundRoute Route);

    public static async Task<Arranged> AddAsync(PbxDbContext owner, Guid tenantId, Guid extensionId, string number = "+4930123456")
    {
        var carrier = new Carrier { Name = $"Carrier {number}", Host = "sip.carrier.example", CreatedAt = TestClock.Now };
        var trunk = new Trunk { TenantId = tenantId, Name = "Main", CarrierId = carrier.Id, CreatedAt = TestClock.Now };
        var inbound = new InboundNumber { TenantId = tenantId, Number = number, TrunkId = trunk.Id, DestinationExtensionId = extensionId, CreatedAt = TestClock.Now };
        var route = new OutboundRoute { TenantId = tenantId, Name = "Everything", Pattern = "+*", Priority = 10, TrunkIds = [trunk.Id] };
        owner.Carriers.Add(carrier);
        owner.Trunks.Add(trunk);
        owner.InboundNumbers.Add(inbound);
        owner.OutboundRoutes.Add(route);
        owner.PstnSettings.Add(new PstnSettings { TenantId = tenantId, Country = "DE" });
        await owner.SaveChangesAsync();
        return new Arranged(carrier, trunk, inbound, route);
    }
}
