using System.Net;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Sip.Transport.Resolution;

namespace HostedPbx.Switch.Tests.Trunks;

/// <summary>RFC 3263 §4 against a real name server (dnsmasq on loopback) serving NAPTR, SRV and A records.</summary>
public sealed class ResolutionTests : IAsyncLifetime
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private ResolutionDnsServer? _dns;

    public async ValueTask InitializeAsync() => _dns = await ResolutionDnsServer.StartAsync([
        // RFC 3263 §4.1: the domain's NAPTR points TLS at an SRV name of its own choosing; a UDP one is there too.
        "--naptr-record=pstn.test,10,50,s,SIPS+D2T,,_tls-pool._tcp.pstn.test",
        "--naptr-record=pstn.test,5,50,s,SIP+D2U,,_sip._udp.pstn.test",
        // The backup (priority 20) is listed first: order must come from the priority, not the answer.
        "--srv-host=_tls-pool._tcp.pstn.test,sbc2.pstn.test,5071,20,0",
        "--srv-host=_tls-pool._tcp.pstn.test,sbc1.pstn.test,5061,10,0",
        "--srv-host=_sip._udp.pstn.test,udp.pstn.test,5060,10,0",
        "--host-record=sbc1.pstn.test,127.0.0.11",
        "--host-record=sbc2.pstn.test,127.0.0.12",
        "--host-record=udp.pstn.test,127.0.0.13",
        // No NAPTR: the transport's SRV name (_sips._tcp).
        "--srv-host=_sips._tcp.nonaptr.test,sbc1.pstn.test,5062,10,0",
        // Neither NAPTR nor SRV: the name's own address at the trunk's port.
        "--host-record=plain.test,127.0.0.14",
    ], _ct);

    [Fact]
    public async Task LocateAsync_NaptrAndTwoSrvRecords_TargetsInPriorityOrder()
    {
        var located = await SipServerLocator.Create(_dns!.Address).LocateAsync("pstn.test", 5061, TrunkTransport.Tls, _ct);

        Assert.Equal([IPEndPoint.Parse("127.0.0.11:5061"), IPEndPoint.Parse("127.0.0.12:5071")], located.Targets);
    }

    [Fact]
    public async Task LocateAsync_UdpTrunk_TakesTheNaptrRecordOfItsOwnTransport()
    {
        var located = await SipServerLocator.Create(_dns!.Address).LocateAsync("pstn.test", 5060, TrunkTransport.Udp, _ct);

        Assert.Equal([IPEndPoint.Parse("127.0.0.13:5060")], located.Targets);
    }

    [Fact]
    public async Task LocateAsync_NoNaptr_SrvOfTheTransportsName()
    {
        var located = await SipServerLocator.Create(_dns!.Address).LocateAsync("nonaptr.test", 5061, TrunkTransport.Tls, _ct);

        Assert.Equal([IPEndPoint.Parse("127.0.0.11:5062")], located.Targets);
    }

    [Fact]
    public async Task LocateAsync_NoSrv_TheNamesAddressAtTheConfiguredPort()
    {
        var located = await SipServerLocator.Create(_dns!.Address).LocateAsync("plain.test", 5081, TrunkTransport.Tls, _ct);

        Assert.Equal([IPEndPoint.Parse("127.0.0.14:5081")], located.Targets);
    }

    [Fact]
    public async Task LocateAsync_NameThatDoesNotResolve_NoTargetAndTheReasonNamesTheHost()
    {
        var located = await SipServerLocator.Create(_dns!.Address).LocateAsync("nowhere.test", 5061, TrunkTransport.Tls, _ct);

        Assert.False(located.Found);
        Assert.Equal("host 'nowhere.test' does not resolve", located.Failure);
    }

    [Fact]
    public async Task LocateAsync_IpLiteral_UsedAsIsWithoutAskingTheNameServer()
    {
        await _dns!.DisposeAsync();

        var located = await SipServerLocator.Create(_dns.Address).LocateAsync("[::1]", 5061, TrunkTransport.Tls, _ct);

        Assert.Equal([new IPEndPoint(IPAddress.IPv6Loopback, 5061)], located.Targets);
    }

    public async ValueTask DisposeAsync()
    {
        if (_dns is not null)
        {
            await _dns.DisposeAsync();
        }
    }
}
