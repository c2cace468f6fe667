using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.EndToEndTests.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.EndToEndTests.Pstn;

/// <summary>
/// Issue 11, the legacy carrier: a named trunk over plain UDP with plain RTP, allowed by the operator. 201 (baresip, TLS
/// and SRTP) dials a German number routed to it; a baresip carrier on loopback answers with RTP/AVP. Speech both ways,
/// and the stored statement ("NOT encrypted" for the carrier's leg, SRTP for the handset's) against a capture of both.
/// The same carrier calls in as well: its phone dials the tenant's number over the plain trunk and 202 answers. And a
/// carrier over plain TCP: one connection from the switch carries the call's signalling, the statement as for UDP.
/// </summary>
public sealed partial class PlainCarrierTests(PostgresFixture database) : IAsyncLifetime
{
    private const string Dialled = PlainCarrierScene.Dialled;
    private const int RtpHeaderLength = 12;
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await database.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Call_201ToPlainCarrier_SpeechBothWaysAndTheStatementSaysNotEncryptedAsTheWireShows()
    {
        // The carrier talks longer than 201, so 201 hangs up and the BYE goes over UDP.
        await using var scene = await PlainCarrierScene.StartAsync(database, ("alice", "201"), TrunkTransport.Udp, plainAllowed: true, capture: true, _cancel);
        var (sut, plainPort, carrier, alice, trunk, capture) = (scene.Sut, scene.PlainPort, scene.Carrier, scene.Handset, scene.Trunk, scene.Capture!);

        // A stranger's INVITE to the plain socket first: the socket reads in order, so by the time the call is done it was dropped.
        using var stranger = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        stranger.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var strangerPort = ((IPEndPoint)stranger.LocalEndPoint!).Port;
        await stranger.SendToAsync(Encoding.ASCII.GetBytes(
            $"INVITE sip:{PlainCarrier.CallerNumber}@127.0.0.1:{plainPort} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{strangerPort};branch=z9hG4bKstranger\r\n"
            + "From: <sip:+4930999@127.0.0.1>;tag=s1\r\nTo: <sip:+4940555111@127.0.0.1>\r\nCall-ID: stranger\r\nCSeq: 1 INVITE\r\n"
            + $"Contact: <sip:+4930999@127.0.0.1:{strangerPort}>\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n"), SocketFlags.None, new IPEndPoint(IPAddress.Loopback, plainPort), _cancel);

        await alice.CommandAsync("dial", $"sip:{Dialled}@127.0.0.1:{sut.SipPort}", _cancel);
        var record = await scene.EndedCallAsync(_cancel);
        var (heardByCarrier, heardBy201) = await scene.RecordingsAsync();
        var packets = await capture.StopAsync(_cancel);

        Assert.True(record.Outcome == CallOutcome.Answered, $"outcome {record.Outcome}\n{sut.Output}\n{carrier.Log}");
        Assert.Equal(CallType.OutboundPstn, record.Type);
        scene.AssertSpeechBothWays(heardByCarrier, heardBy201, "plain carrier");

        // The stored facts and statement.
        var legs = record.Legs.OrderBy(l => l.Position).ToList();
        Assert.Equal([LegKind.Handset, LegKind.Trunk], legs.Select(l => l.Kind));
        var (handsetLeg, carrierLeg) = (legs[0], legs[1]);
        Assert.Equal(trunk.Id, carrierLeg.TrunkId);
        Assert.Equal(SignallingTransport.Udp, carrierLeg.Transport);
        Assert.Null(carrierLeg.TlsVersion);
        Assert.False(carrierLeg.PeerCertificateVerified);
        Assert.Equal(MediaProtection.None, carrierLeg.MediaProtection);
        Assert.Null(carrierLeg.SrtpSuite);
        Assert.Equal(SignallingTransport.Tls, handsetLeg.Transport);
        Assert.Equal(MediaProtection.Srtp, handsetLeg.MediaProtection);
        var statement = record.SecurityStatement!;
        Assert.Contains("Call set-up with the telephone carrier's trunk", statement, StringComparison.Ordinal);
        Assert.Contains($"The audio to and from the telephone carrier's trunk ({Dialled}) was NOT encrypted", statement, StringComparison.Ordinal);
        Assert.Contains($"anyone on the network between our switch and the telephone carrier's trunk ({Dialled})", statement, StringComparison.Ordinal);
        Assert.Contains("The audio to and from the handset of 201", statement, StringComparison.Ordinal);
        Assert.Contains("was encrypted (SRTP", statement, StringComparison.Ordinal);

        // The wire agrees. The carrier's leg: SIP readable over UDP, and the switch's media port for it named in its plain SDP.
        var plainSip = PlainSip(packets, plainPort);
        var offer = Assert.Single(plainSip.Where(text => text.StartsWith($"INVITE sip:{Dialled}@127.0.0.1:{carrier.SipPort}", StringComparison.Ordinal)).Distinct());
        Assert.DoesNotContain("a=crypto", offer, StringComparison.Ordinal);
        AssertWireAsStated(packets, scene, CarrierLegPort(offer));

        // The stranger's INVITE reached the socket and got nothing back: no answer, no reflection.
        Assert.Contains(packets, p => p.IsUdp && p.SourcePort == strangerPort && p.DestinationPort == plainPort);
        Assert.DoesNotContain(packets, p => p.IsUdp && p.DestinationPort == strangerPort);
        Assert.Equal(0, stranger.Available);
    }

    [Fact]
    public async Task Call_201ToPlainTcpCarrier_SignallingOverOneTcpConnectionSpeechBothWaysAndTheStatementSaysNotEncryptedAsTheWireShows()
    {
        await using var scene = await PlainCarrierScene.StartAsync(database, ("alice", "201"), TrunkTransport.Tcp, plainAllowed: true, capture: true, _cancel);
        var (sut, plainPort, carrier, alice, trunk, capture) = (scene.Sut, scene.PlainPort, scene.Carrier, scene.Handset, scene.Trunk, scene.Capture!);

        await alice.CommandAsync("dial", $"sip:{Dialled}@127.0.0.1:{sut.SipPort}", _cancel);
        var record = await scene.EndedCallAsync(_cancel);
        var (heardByCarrier, heardBy201) = await scene.RecordingsAsync();
        // The record is written as the switch queues its BYE to the carrier: the capture stops once the carrier has it (a
        // clean run that stopped at the record once found no BYE in the capture).
        await Eventually.GetAsync(
            () => Task.FromResult(carrier.Log.Contains("session closed", StringComparison.Ordinal) ? (object?)true : null),
            TimeSpan.FromSeconds(30), () => "the carrier's call closed\n" + sut.Output + carrier.Log);
        // The carrier had it, but the capture's file trails the wire (a clean run under load lost the BYE at the stop): stop
        // once the file holds a BYE in clear, which only the carrier's TCP leg carries (the handset's is TLS).
        await Eventually.GetAsync(
            () => Task.FromResult(capture.FileHolds("BYE sip:"u8) ? (object?)true : null),
            TimeSpan.FromSeconds(30), () => "the BYE to the carrier in the capture's file\n" + capture.Log + sut.Output + carrier.Log);
        var packets = await capture.StopAsync(_cancel);

        Assert.True(record.Outcome == CallOutcome.Answered, $"outcome {record.Outcome}\n{sut.Output}\n{carrier.Log}");
        scene.AssertSpeechBothWays(heardByCarrier, heardBy201, "plain TCP carrier");

        // The stored facts: the carrier's leg over TCP, no TLS, no certificate, plain RTP; the statement reads as for UDP.
        var carrierLeg = record.Legs.Single(l => l.Kind == LegKind.Trunk);
        Assert.Equal((trunk.Id, SignallingTransport.Tcp, (string?)null, false, MediaProtection.None),
            (carrierLeg.TrunkId, carrierLeg.Transport, carrierLeg.TlsVersion, carrierLeg.PeerCertificateVerified, carrierLeg.MediaProtection));
        var statement = record.SecurityStatement!;
        Assert.Contains($"Call set-up with the telephone carrier's trunk ({Dialled}) was NOT encrypted", statement, StringComparison.Ordinal);
        Assert.Contains($"The audio to and from the telephone carrier's trunk ({Dialled}) was NOT encrypted", statement, StringComparison.Ordinal);

        // The wire agrees: the switch's INVITE in clear over TCP to the carrier's port, its Via naming TCP and the plain-trunk
        // port (RFC 3261 §18.1.1); the BYE on the same connection; nothing of the call over UDP to the carrier's SIP port.
        var toCarrier = packets.Where(p => !p.IsUdp && p.DestinationPort == carrier.SipPort && p.Payload.Length > 0).ToList();
        var sipToCarrier = toCarrier.Select(p => Encoding.ASCII.GetString(p.Payload)).ToList();
        var offer = Assert.Single(sipToCarrier.Where(text => text.StartsWith($"INVITE sip:{Dialled}@127.0.0.1:{carrier.SipPort};transport=tcp", StringComparison.Ordinal)).Distinct());
        Assert.Contains($"Via: SIP/2.0/TCP 127.0.0.1:{plainPort};branch=", offer, StringComparison.Ordinal);
        Assert.Contains($"<sip:switch@127.0.0.1:{plainPort};transport=tcp>", offer, StringComparison.Ordinal);
        Assert.True(sipToCarrier.Any(text => text.StartsWith("BYE ", StringComparison.Ordinal)), $"no BYE to the carrier in the capture\n{capture.Log}\n{sut.Output}\n{carrier.Log}");
        Assert.Single(toCarrier.Select(p => p.SourcePort).Distinct());
        Assert.DoesNotContain(packets, p => p.IsUdp && (p.DestinationPort == carrier.SipPort || p.SourcePort == carrier.SipPort));
        AssertWireAsStated(packets, scene, CarrierLegPort(offer));
    }

    [Fact]
    public async Task Call_PlainCarrierCallsTheTenantsNumber_202AnswersSpeechBothWaysAndTheStatementSaysNotEncryptedAsTheWireShows()
    {
        // The PSTN caller talks longer than 202, so 202 hangs up and its BYE goes to the carrier over UDP. The legacy
        // carrier's phone calls as Dialled: no TLS, no SRTP (baresip without mediaenc, over UDP).
        await using var scene = await PlainCarrierScene.StartAsync(database, ("bob", "202"), TrunkTransport.Udp, plainAllowed: true, capture: true, _cancel);
        var (sut, plainPort, carrier, bob, trunk, capture) = (scene.Sut, scene.PlainPort, scene.Carrier, scene.Handset, scene.Trunk, scene.Capture!);

        await carrier.CommandAsync("dial", $"sip:{PlainCarrier.CallerNumber}@127.0.0.1:{plainPort}", _cancel);
        var record = await scene.EndedCallAsync(_cancel);
        var (heardByCarrier, heardBy202) = await scene.RecordingsAsync();
        var packets = await capture.StopAsync(_cancel);

        Assert.True(record.Outcome == CallOutcome.Answered, $"outcome {record.Outcome}\n{sut.Output}\n{carrier.Log}");
        Assert.Equal((CallType.InboundPstn, Dialled, "202"), (record.Type, record.FromParty, record.ToParty));
        Assert.Contains("Call established", bob.Log, StringComparison.Ordinal);
        scene.AssertSpeechBothWays(heardByCarrier, heardBy202, "plain carrier");

        // The stored facts and statement: the carrier's leg over UDP with plain RTP, 202's over TLS with SRTP.
        var legs = record.Legs.OrderBy(l => l.Position).ToList();
        Assert.Equal([LegKind.Trunk, LegKind.Handset], legs.Select(l => l.Kind));
        var (carrierLeg, handsetLeg) = (legs[0], legs[1]);
        Assert.Equal(trunk.Id, carrierLeg.TrunkId);
        Assert.Equal((SignallingTransport.Udp, (string?)null, false, MediaProtection.None, (string?)null, true),
            (carrierLeg.Transport, carrierLeg.TlsVersion, carrierLeg.PeerCertificateVerified, carrierLeg.MediaProtection, carrierLeg.SrtpSuite, carrierLeg.LeavesNetwork));
        Assert.Equal((SignallingTransport.Tls, MediaProtection.Srtp), (handsetLeg.Transport, handsetLeg.MediaProtection));
        var statement = record.SecurityStatement!;
        Assert.Contains(
            "The call from the telephone network reached our switch over a connection that was NOT encrypted, its audio NOT encrypted between the carrier and our switch; beyond the carrier it is not protected by us.",
            statement, StringComparison.Ordinal);
        Assert.Contains("was NOT encrypted: anyone on the network in between could listen to it.", statement, StringComparison.Ordinal);
        Assert.Contains("The audio to and from the handset of 202", statement, StringComparison.Ordinal);
        Assert.Contains("was encrypted (SRTP", statement, StringComparison.Ordinal);

        // The wire agrees: the carrier's INVITE and the switch's plain answer (RTP/AVP, no keys) over UDP, then the media.
        var plainSip = PlainSip(packets, plainPort);
        Assert.Contains(plainSip, text => text.StartsWith($"INVITE sip:{PlainCarrier.CallerNumber}@127.0.0.1:{plainPort}", StringComparison.Ordinal));
        var answer = Assert.Single(plainSip.Where(text => text.StartsWith("SIP/2.0 200", StringComparison.Ordinal) && text.Contains("m=audio", StringComparison.Ordinal)).Distinct());
        Assert.DoesNotContain("a=crypto", answer, StringComparison.Ordinal);
        AssertWireAsStated(packets, scene, CarrierLegPort(answer));
    }

    [Fact]
    public async Task Call_PlainTrunkWithoutOperatorsLeave_CallerGets480AndTheAuditSaysWhyAndTheCarrierHearsNothing()
    {
        await using var scene = await PlainCarrierScene.StartAsync(database, ("alice", "201"), TrunkTransport.Udp, plainAllowed: false, capture: false, _cancel);
        var (sut, carrier, alice, trunk) = (scene.Sut, scene.Carrier, scene.Handset, scene.Trunk);

        await alice.CommandAsync("dial", $"sip:{Dialled}@127.0.0.1:{sut.SipPort}", _cancel);
        var record = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.CallRecords.AsNoTracking().FirstOrDefaultAsync(c => c.EndedAt != null, _cancel);
        }, TimeSpan.FromSeconds(60), () => "the call record\n" + sut.Output + alice.Log);
        var refused = await Eventually.GetAsync(
            () => Task.FromResult(alice.Log.Contains("session closed:", StringComparison.Ordinal) ? alice.Log : null),
            TimeSpan.FromSeconds(20), () => "201's call to close\n" + alice.Log);
        var audit = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            var events = await db.AuditEvents.AsNoTracking().Where(a => a.Action == "pstn.trunk.connect" && a.TargetId == trunk.Id.ToString()).ToListAsync(_cancel);
            return events.Count > 0 ? events : null;
        }, TimeSpan.FromSeconds(20), () => "the audit of the refused trunk\n" + sut.Output);

        Assert.Equal(CallType.OutboundPstn, record.Type);
        Assert.Null(record.AnsweredAt);
        // The caller hears only that the number cannot be reached now (as for any trunk that cannot be used); the audit names the reason.
        Assert.Equal(CallOutcome.Unavailable, record.Outcome);
        Assert.Contains("session closed: 480 Temporarily Unavailable", refused, StringComparison.Ordinal);
        var denied = Assert.Single(audit);
        Assert.Equal(AuditOutcome.Denied, denied.Outcome);
        Assert.Contains("has not allowed plain transport", denied.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("Incoming call", carrier.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("Plain trunks: flow", sut.Output, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"m=audio (\d+) RTP/AVP")]
    private static partial Regex AudioLine();

    /// <summary>The SIP messages on the plain-trunk socket's port, as text (they are readable: that is the point).</summary>
    private static List<string> PlainSip(List<CapturedPacket> packets, int plainPort) =>
        [.. packets.Where(p => p.IsUdp && (p.SourcePort == plainPort || p.DestinationPort == plainPort)).Select(p => Encoding.ASCII.GetString(p.Payload))];

    /// <summary>The switch's media port for the carrier's leg, as the switch's own plain SDP (offer or answer) names it.</summary>
    private static int CarrierLegPort(string switchesSdp) => int.Parse(AudioLine().Match(switchesSdp).Groups[1].Value, CultureInfo.InvariantCulture);

    /// <summary>
    /// The capture agrees with the statement, whichever side called: on the carrier's leg RTP decodes as the speech both
    /// ways ("NOT encrypted" is true); on the handset's leg two RTP streams that do not (SRTP), and its signalling is TLS.
    /// </summary>
    private static void AssertWireAsStated(List<CapturedPacket> packets, PlainCarrierScene scene, int carrierLegPort)
    {
        var (sut, captureLog) = (scene.Sut, scene.Capture!.Log);
        var (handsetSpeech, carrierSpeech) = (Audio.ReadWav(scene.HandsetSpeech), Audio.ReadWav(scene.CarrierSpeech));
        var (min, max) = sut.MediaPorts;
        bool InRange(int port) => port >= min && port <= max;
        var rtp = packets.Where(p => p.IsUdp && p.Payload.Length > RtpHeaderLength && p.Payload[0] >> 6 == 2 && (p.Payload[1] & 0x7f) == 0
            && (InRange(p.SourcePort) || InRange(p.DestinationPort))).ToList();
        var toCarrier = rtp.Where(p => p.SourcePort == carrierLegPort).ToList();
        var fromCarrier = rtp.Where(p => p.DestinationPort == carrierLegPort).ToList();
        var handsetStreams = rtp.Where(p => p.SourcePort != carrierLegPort && p.DestinationPort != carrierLegPort)
            .GroupBy(p => InRange(p.DestinationPort) ? $"→ switch port {p.DestinationPort}" : $"switch port {p.SourcePort} →").ToList();
        Assert.True(toCarrier.Count > 100 && fromCarrier.Count > 100, $"carrier leg on switch port {carrierLegPort}: {toCarrier.Count} out, {fromCarrier.Count} in\n{captureLog}");
        Assert.True(handsetStreams.Count == 2, $"expected two RTP streams on the handset's leg, saw {string.Join(", ", handsetStreams.Select(s => $"{s.Key}:{s.Count()}"))}");

        var plainOut = Audio.MaxNormalizedCorrelation(handsetSpeech, Audio.DecodeMuLaw(toCarrier.SelectMany(p => p.Payload[RtpHeaderLength..])), 1600);
        var plainIn = Audio.MaxNormalizedCorrelation(carrierSpeech, Audio.DecodeMuLaw(fromCarrier.SelectMany(p => p.Payload[RtpHeaderLength..])), 1600);
        Assert.True(plainOut >= 0.9, $"the carrier leg toward the carrier does not decode as the handset's speech (correlation {plainOut:0.000})");
        Assert.True(plainIn >= 0.9, $"the carrier leg from the carrier does not decode as its speech (correlation {plainIn:0.000})");

        foreach (var stream in handsetStreams)
        {
            Assert.True(stream.Count() > 100, $"only {stream.Count()} packets {stream.Key}");
            var correlation = Math.Max(
                Audio.MaxNormalizedCorrelation(handsetSpeech, Audio.DecodeMuLaw(stream.SelectMany(p => p.Payload[RtpHeaderLength..])), 1600),
                Audio.MaxNormalizedCorrelation(carrierSpeech, Audio.DecodeMuLaw(stream.SelectMany(p => p.Payload[RtpHeaderLength..])), 1600));
            Assert.True(correlation < 0.3, $"RTP {stream.Key} on the handset's leg decodes as speech (correlation {correlation:0.000}): not encrypted");
        }

        var handsetSegments = packets.Where(p => !p.IsUdp && (p.SourcePort == sut.SipPort || p.DestinationPort == sut.SipPort) && p.Payload.Length > 0).ToList();
        Assert.True(handsetSegments.Count > 4, $"only {handsetSegments.Count} TCP segments on the switch's TLS port");
        Assert.DoesNotContain(handsetSegments, p => Encoding.ASCII.GetString(p.Payload).Contains("SIP/2.0", StringComparison.Ordinal));
    }
}
