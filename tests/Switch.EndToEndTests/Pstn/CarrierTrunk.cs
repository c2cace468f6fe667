using HostedPbx.Data.Entities;
using HostedPbx.Switch.EndToEndTests.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.EndToEndTests.Pstn;

/// <summary>
/// The rows an operator and a tenant admin write for calls to the telephone network through <see cref="KamailioCarrier"/>:
/// the operator's carrier (TLS, verified by name), the tenant's trunk on it, a route for <c>+49*</c>, German dialling
/// rules, and a number the tenant owns pointed at 201 (the caller ID it presents).
/// </summary>
internal static class CarrierTrunk
{
    public const string CallerNumber = "+4940555000";

    public static async Task<Trunk> SeedAsync(PostgresFixture database, SwitchUnderTest sut, int carrierPort, CancellationToken cancellationToken)
    {
        await using var db = database.CreateOwnerContext();
        var now = TimeProvider.System.GetUtcNow();
        var tenant = sut.Tenant!.Id;
        var carrier = new Carrier
        {
            Name = "Kamailio carrier", Host = "127.0.0.1", Port = carrierPort, Transport = TrunkTransport.Tls,
            CertificateName = KamailioCarrier.CertificateName, SrtpMode = SrtpMode.Required, CreatedAt = now,
        };
        var trunk = new Trunk { TenantId = tenant, Name = "carrier", CarrierId = carrier.Id, CreatedAt = now };
        var caller = await db.Extensions.SingleAsync(e => e.TenantId == tenant && e.Number == "201", cancellationToken);
        db.AddRange(
            carrier,
            trunk,
            new PstnSettings { TenantId = tenant, Country = "DE" },
            new OutboundRoute { TenantId = tenant, Name = "Germany", Pattern = "+49*", Priority = 1, TrunkIds = [trunk.Id] },
            new InboundNumber { TenantId = tenant, Number = CallerNumber, TrunkId = trunk.Id, DestinationExtensionId = caller.Id, CreatedAt = now });
        await db.SaveChangesAsync(cancellationToken);
        return trunk;
    }
}
