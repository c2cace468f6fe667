using HostedPbx.Data.Entities;
using HostedPbx.Switch.EndToEndTests.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.EndToEndTests.Pstn;

/// <summary>
/// Issue 11's legacy carrier on loopback: a baresip that listens for SIP over plain UDP and answers the dialled number
/// itself with plain RTP (no TLS, no SRTP), and the rows of a tenant's own trunk to it over UDP.
/// </summary>
internal static class PlainCarrier
{
    public const string CallerNumber = "+4940555111";

    /// <summary>The carrier: a baresip account for <paramref name="number"/> that never registers and encrypts nothing.</summary>
    public static BaresipPeer Start(string root, string number, string audioSource, int seconds) =>
        BaresipPeer.Start(root, "legacy-carrier", number, 0, "", "", audioSource, seconds,
            account: $"<sip:{number}@127.0.0.1>;regint=0;answermode=auto;audio_codecs=pcmu");

    /// <summary>
    /// The tenant's own trunk to the carrier over UDP (or <paramref name="transport"/>) with SRTP off and the operator's leave, a route for <c>+49*</c>, and
    /// the number <see cref="CallerNumber"/> ringing <c>ringing</c>. Without the leave (the database refuses a tenant's own
    /// plain trunk without it), the trunk names an operator's carrier set to UDP instead: the case where a plain carrier exists and this named trunk was not allowed it.
    /// </summary>
    public static async Task<Trunk> SeedAsync(
        PostgresFixture database, SwitchUnderTest sut, int carrierPort, bool plainAllowed, string ringing, TrunkTransport transport,
        CancellationToken cancellationToken)
    {
        await using var db = database.CreateOwnerContext();
        var now = TimeProvider.System.GetUtcNow();
        var tenant = sut.Tenant!.Id;
        var trunk = plainAllowed
            ? new Trunk
            {
                TenantId = tenant, Name = "legacy carrier", Host = "127.0.0.1", Port = carrierPort, Transport = transport,
                PlainTransportAllowed = true, VerifyServerCertificate = false, SrtpMode = SrtpMode.Off, CreatedAt = now,
            }
            : new Trunk
            {
                TenantId = tenant, Name = "legacy carrier", CreatedAt = now,
                Carrier = new Carrier { Name = "UDP carrier", Host = "127.0.0.1", Port = carrierPort, Transport = TrunkTransport.Udp, SrtpMode = SrtpMode.Off, CreatedAt = now },
            };
        var rung = await db.Extensions.SingleAsync(e => e.TenantId == tenant && e.Number == ringing, cancellationToken);
        db.AddRange(
            trunk,
            new PstnSettings { TenantId = tenant, Country = "DE" },
            new OutboundRoute { TenantId = tenant, Name = "Germany", Pattern = "+49*", Priority = 1, TrunkIds = [trunk.Id] },
            new InboundNumber { TenantId = tenant, Number = CallerNumber, TrunkId = trunk.Id, DestinationExtensionId = rung.Id, CreatedAt = now });
        await db.SaveChangesAsync(cancellationToken);
        return trunk;
    }
}
