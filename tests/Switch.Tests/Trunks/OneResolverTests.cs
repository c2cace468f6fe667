using System.Net;
using System.Net.Sockets;
using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Calls.Trunks;
using HostedPbx.Switch.Sip.Transport;
using HostedPbx.Switch.Sip.Transport.Peers;
using HostedPbx.Switch.Sip.Transport.Resolution;
using HostedPbx.Switch.Tests.Transport;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace HostedPbx.Switch.Tests.Trunks;

/// <summary>
/// Issue 11: every name the switch dials goes through the one RFC 3263 locator (dnsmasq on loopback here): a plain UDP
/// trunk's flow is bound where NAPTR/SRV for UDP point (address and port), and a node named by DNS is reached at its
/// address; IP literals stay as they are, and a name that does not resolve says so.
/// </summary>
public sealed class OneResolverTests : IAsyncDisposable
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly CancellationTokenSource _stop = new();
    private ResolutionDnsServer? _dns;

    [Fact]
    public async Task Load_PlainTrunksNamedByDnsOrByAddress_FlowsBoundWhereRfc3263PointsAndNoneForANameThatDoesNotResolve()
    {
        _dns = await ResolutionDnsServer.StartAsync([
            // RFC 3263 §4.1: the UDP service's NAPTR, its SRV on another port than the trunk's, then the target's address.
            "--naptr-record=legacy.test,10,50,s,SIP+D2U,,_sip._udp.legacy.test",
            "--naptr-record=legacy.test,5,50,s,SIPS+D2T,,_sips._tcp.legacy.test",
            "--srv-host=_sip._udp.legacy.test,gw.legacy.test,5080,10,0",
            "--host-record=gw.legacy.test,127.0.0.21",
            "--host-record=sips-only.legacy.test,127.0.0.22",
            "--srv-host=_sips._tcp.legacy.test,sips-only.legacy.test,5061,10,0",
        ], _ct);
        await using var database = await PostgresFixture.OwnAsync("switch_one_resolver");
        Guid byName, byAddress, nowhere;
        await using (var owner = database.CreateOwnerContext())
        {
            var tenant = await TestTenants.AddAsync(owner, $"Resolver {Guid.NewGuid():N}", $"0015653{Random.Shared.Next(0, 0xFFFFF):x5}");
            var trunks = new[] { ("by name", "legacy.test"), ("by address", "127.0.0.23"), ("nowhere", "nowhere.test") }.Select(t => new Trunk
            {
                TenantId = tenant.Tenant.Id, Name = t.Item1, Host = t.Item2, Port = 5060, Transport = TrunkTransport.Udp, PlainTransportAllowed = true,
                VerifyServerCertificate = false, SrtpMode = SrtpMode.Off, CreatedAt = TestClock.Now,
            }).ToList();
            owner.Trunks.AddRange(trunks);
            await owner.SaveChangesAsync(_ct);
            (byName, byAddress, nowhere) = (trunks[0].Id, trunks[1].Id, trunks[2].Id);
        }

        var contexts = new PooledDbContextFactory<PbxDbContext>(
            database.SwitchOptions);
        var directory = await new PstnDirectoryLoader(contexts, null, SipServerLocator.Create(_dns.Address)).LoadAsync(_ct);

        var bound = directory.PlainPeers.ToDictionary(p => p.Identity.PeerId, p => p.Remote);
        Assert.Equal(IPEndPoint.Parse("127.0.0.21:5080"), bound[byName]);
        Assert.Equal(IPEndPoint.Parse("127.0.0.23:5060"), bound[byAddress]);
        Assert.False(bound.ContainsKey(nowhere));
    }

    [Fact]
    public async Task Connect_NodeNamedByDns_ReachedAtTheAddressItsNameHasAndANameThatDoesNotResolveIsUnresolved()
    {
        using var listening = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listening.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listening.Listen();
        var port = ((IPEndPoint)listening.LocalEndPoint!).Port;
        _dns = await ResolutionDnsServer.StartAsync(["--host-record=node-b.test,127.0.0.1"], _ct);
        using var pki = new TestPki();
        var connector = new PeerConnector(
            pki.ServerContext, new PeerAuthenticator(new PeerTrust([pki.Root.Certificate]), TimeProvider.System), new ConnectionTable(), new RecordingConnectionHandler(),
            TimeProvider.System, TransportHarness.Limits, NullLogger.Instance, _stop.Token)
        {
            Locator = SipServerLocator.Create(_dns.Address),
        };

        var connecting = connector.ConnectAsync(new PeerTarget(PeerKind.Node, "node-b", Guid.CreateVersion7(), null, "node-b.test", port, "node-b"), _ct);
        // The connection arrives where the name points; closing it fails the handshake, which is all this needs.
        using (await listening.AcceptAsync(_ct))
        {
        }

        var reached = await connecting;
        var unresolved = await connector.ConnectAsync(new PeerTarget(PeerKind.Node, "node-c", Guid.CreateVersion7(), null, "node-c.test", port, "node-c"), _ct);

        Assert.False(reached.Succeeded);
        Assert.StartsWith($"TLS handshake with 127.0.0.1:{port} failed", reached.Failure, StringComparison.Ordinal);
        Assert.False(reached.Unresolved);
        Assert.True(unresolved.Unresolved);
        Assert.Equal("host 'node-c.test' does not resolve", unresolved.Failure);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _stop.Dispose();
        if (_dns is not null)
        {
            await _dns.DisposeAsync();
        }
    }
}
