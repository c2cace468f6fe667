using System.Diagnostics.Metrics;
using System.Net;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Media.Relay;
using HostedPbx.Switch.Media.Srtp;
using HostedPbx.Switch.Tests.Media.Relay;
using HostedPbx.Switch.Tests.Media.Rtp;
using Microsoft.Extensions.DependencyInjection;

namespace HostedPbx.Switch.Tests.Diagnostics;

/// <summary>
/// Issue 14 item 3: the jitter and loss the parties of a call report in their SRTCP receiver reports (RFC 3550 §6.4),
/// read by the relay and exported per leg kind, with no label but the kind.
/// </summary>
[Collection(nameof(RelayEngineTestGroup))]
public sealed class MediaQualityMetricsTests : IAsyncDisposable
{
    private const SrtpSuite Suite = SrtpSuite.AesCm128HmacSha1Tag80;
    private static readonly SocketAddress s_phoneRtcp = new IPEndPoint(IPAddress.Parse("192.0.2.10"), 4001).Serialize();
    private static readonly SocketAddress s_nodeRtcp = new IPEndPoint(IPAddress.Parse("192.0.2.20"), 6001).Serialize();

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MeterListener _listener = new();
    private readonly List<(string Name, double Value, Dictionary<string, object?> Tags)> _measured = [];
    private readonly PortPool _ports = new(IPAddress.Loopback, 43100, 43199);
    private readonly RelayEngine _engine = new(1, TimeSpan.FromMilliseconds(1));
    private readonly SrtpKeys _phoneKey = SrtpKeys.Generate(Suite);
    private readonly SrtpKeys _nodeKey = SrtpKeys.Generate(Suite);
    private readonly SwitchMetrics _metrics;

    public MediaQualityMetricsTests()
    {
        var factory = _services.GetRequiredService<IMeterFactory>();
        _metrics = new SwitchMetrics(factory);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == factory)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, t, _) => _measured.Add((i.Name, v, t.ToArray().ToDictionary(x => x.Key, x => x.Value))));
        _listener.SetMeasurementEventCallback<double>((i, v, t, _) => _measured.Add((i.Name, v, t.ToArray().ToDictionary(x => x.Key, x => x.Value))));
        _listener.Start();
    }

    [Fact]
    public async Task ReceiverReports_HandsetAndNodeLegs_JitterAndLossByLegKind_KeptAfterTheCallEnds()
    {
        var session = new RelaySession(_ports.Rent()!, _ports.Rent()!, TimeProvider.System, _engine.Assign());
        var handset = new RelayLeg(new SrtpContext(Suite, _phoneKey), new SrtpContext(Suite, SrtpKeys.Generate(Suite)), rtcpMux: false, null, s_phoneRtcp, clockRate: 8000);
        var node = new RelayLeg(new SrtpContext(Suite, _nodeKey), new SrtpContext(Suite, SrtpKeys.Generate(Suite)), rtcpMux: false, null, s_nodeRtcp, clockRate: 8000);
        session.ReplaceA(handset);
        session.ReplaceB(node);
        session.LegKinds = () => ("handset", "node");
        _metrics.Relay.Track(session);
        using var phoneSends = new SrtpContext(Suite, _phoneKey);
        using var nodeSends = new SrtpContext(Suite, _nodeKey);

        // The handset reports 25 % lost with 20 ms of jitter (160 samples at 8 kHz), then none lost with 10 ms.
        Assert.Equal(RelayOutcome.Forward, Send(phoneSends, RtcpReports.ReceiverReport(0x0A0A0A0A, node.OutboundSsrc, 64, 40, 160), handset, node));
        Assert.Equal(RelayOutcome.Forward, Send(phoneSends, RtcpReports.ReceiverReport(0x0A0A0A0A, node.OutboundSsrc, 0, 40, 80), handset, node));
        // The other node's sender report: 10 % lost (26/256), 50 ms.
        Assert.Equal(RelayOutcome.Forward, Send(nodeSends, RtcpReports.SenderReport(0x0B0B0B0B, handset.OutboundSsrc, 26, 7, 400), node, handset));
        // A forged report (not authentic SRTCP) counts for nothing.
        using var stranger = new SrtpContext(Suite, SrtpKeys.Generate(Suite));
        Assert.Equal(RelayOutcome.AuthFailed, Send(stranger, RtcpReports.ReceiverReport(0x0C0C0C0C, node.OutboundSsrc, 255, 9999, 99999), handset, node));

        var live = Scrape();
        await session.DisposeAsync();
        var ended = Scrape();

        foreach (var scraped in new[] { live, ended })
        {
            Assert.Equal(2, scraped[("hostedpbx.switch.media.rtcp_reports", "handset")]);
            Assert.Equal(0.030, scraped[("hostedpbx.switch.media.jitter", "handset")], 6);
            Assert.Equal(0.25, scraped[("hostedpbx.switch.media.fraction_lost", "handset")], 6);
            Assert.Equal(1, scraped[("hostedpbx.switch.media.rtcp_reports", "node")]);
            Assert.Equal(0.050, scraped[("hostedpbx.switch.media.jitter", "node")], 6);
            Assert.Equal(26 / 256.0, scraped[("hostedpbx.switch.media.fraction_lost", "node")], 6);
        }

        Assert.All(_measured.Where(m => m.Name.StartsWith("hostedpbx.switch.media.", StringComparison.Ordinal)), m => Assert.Equal(["leg_kind"], m.Tags.Keys));
    }

    private static RelayOutcome Send(SrtpContext sender, (byte[] Buffer, int Length) report, RelayLeg from, RelayLeg toward)
    {
        Assert.Equal(SrtpStatus.Ok, sender.ProtectRtcp(report.Buffer, report.Length, out var length));
        // Each party sends from the RTCP address its SDP gave (the leg's first destination).
        return from.Relay(report.Buffer, length, from.RtcpDestination!, onRtcpPort: true, toward).Outcome;
    }

    private Dictionary<(string Name, string Kind), double> Scrape()
    {
        _measured.Clear();
        _listener.RecordObservableInstruments();
        return _measured.Where(m => m.Tags.ContainsKey("leg_kind")).ToDictionary(m => (m.Name, (string)m.Tags["leg_kind"]!), m => m.Value);
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        _metrics.Dispose();
        await _services.DisposeAsync();
        _engine.Dispose();
    }
}
