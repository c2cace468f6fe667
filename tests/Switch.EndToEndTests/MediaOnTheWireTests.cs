using HostedPbx.Data.Entities;
using HostedPbx.Switch.EndToEndTests.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.EndToEndTests;

/// <summary>What an eavesdropper on the wire would get from a baresip 201→202 call: a capture on loopback, filtered to our ports.</summary>
public sealed class MediaOnTheWireTests(PostgresFixture database) : IAsyncLifetime
{
    private const int RtpHeaderLength = 12;
    private const int AuthenticationTagLength = 10;
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await database.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Call_201To202_EachLegHasItsOwnKeysAndNothingIsInTheClear()
    {
        await using var sut = await SwitchUnderTest.StartAsync(database, _cancel);
        var speech = await Audio.MakeSpeechAsync(sut.WorkDirectory, _cancel);
        var (min, max) = sut.MediaPorts;
        await using var capture = await LoopbackCapture.StartAsync(sut.WorkDirectory, $"(udp portrange {min}-{max}) or (tcp port {sut.SipPort})", _cancel);
        var ca = sut.Root.Certificate.ExportCertificatePem();
        await using var bob = BaresipPeer.Start(sut.WorkDirectory, "bob", "202", sut.SipPort, sut.DeviceCertificate("202").CombinedPem(), ca, speech, 40);
        await using var alice = BaresipPeer.Start(sut.WorkDirectory, "alice", "201", sut.SipPort, sut.DeviceCertificate("201").CombinedPem(), ca, speech, 40);
        await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.Registrations.CountAsync(_cancel) >= 2 ? (object?)true : null;
        }, TimeSpan.FromSeconds(20), () => "both REGISTERs\n" + sut.Output + alice.Log + bob.Log);
        await alice.CommandAsync("dial", $"sip:202@127.0.0.1:{sut.SipPort}", _cancel);
        // alice hangs up when her WAV ends; the record is written when the call ends.
        var record = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.CallRecords.AsNoTracking().FirstOrDefaultAsync(c => c.EndedAt != null, _cancel);
        }, TimeSpan.FromSeconds(30), () => "the call to end\n" + sut.Output);
        var packets = await capture.StopAsync(_cancel);
        var received = Directory.GetFiles(bob.RecordingDirectory, "dump-*-dec.wav").Single();

        Assert.Equal(CallOutcome.Answered, record.Outcome);
        var sent = Audio.ReadWav(speech);
        // Control: the speech did cross the switch, so what follows is about its form on the wire, not its absence.
        Assert.True(Audio.MaxNormalizedCorrelation(sent, Audio.ReadWav(received), 8000) > 0.9, "bob did not hear alice");

        bool InRange(int port) => port >= min && port <= max;
        // RTP (version 2, PCMU) on the switch's media ports; RTCP (payload types 200-204) is left aside.
        var rtp = packets.Where(p => p.IsUdp && p.Payload.Length > RtpHeaderLength + AuthenticationTagLength
            && p.Payload[0] >> 6 == 2 && (p.Payload[1] & 0x7f) == 0 && (InRange(p.SourcePort) || InRange(p.DestinationPort))).ToList();
        var legs = rtp.GroupBy(p => InRange(p.DestinationPort) ? p.DestinationPort : p.SourcePort).ToList();
        Assert.True(legs.Count == 2, $"expected RTP on two switch ports (one per leg), saw {legs.Count}: {string.Join(", ", legs.Select(l => $"{l.Key}:{l.Count()}"))}\n{capture.Log}");
        Assert.All(legs, leg => Assert.True(leg.Count() > 100, $"only {leg.Count()} packets on switch port {leg.Key}"));

        // The same speech enters on one leg and leaves on the other: with one key for both, payloads would repeat.
        var first = legs[0].Select(p => Convert.ToHexString(p.Payload, RtpHeaderLength, p.Payload.Length - RtpHeaderLength)).ToHashSet();
        var repeated = legs[1].Count(p => first.Contains(Convert.ToHexString(p.Payload, RtpHeaderLength, p.Payload.Length - RtpHeaderLength)));
        Assert.True(repeated == 0, $"{repeated} RTP payloads appear identically on both legs: the legs are not keyed apart");

        // Control: plain PCMU of the same speech, read the same way, is recognised.
        var plain = Audio.MaxNormalizedCorrelation(sent, Audio.DecodeMuLaw(await Audio.EncodeMuLawAsync(speech, _cancel)), 1600);
        Assert.True(plain > 0.9, $"plain PCMU of the speech correlates only {plain:0.000}: the check below could not tell");

        // Both handsets send the same speech: each of the four streams (to and from the switch on each leg), read as if
        // it were plain PCMU, must be noise.
        var streams = rtp.GroupBy(p => InRange(p.DestinationPort) ? $"handset → switch port {p.DestinationPort}" : $"switch port {p.SourcePort} → handset").ToList();
        Assert.Equal(4, streams.Count);
        foreach (var stream in streams)
        {
            var samples = Audio.DecodeMuLaw(stream.SelectMany(p => p.Payload[RtpHeaderLength..^AuthenticationTagLength]));
            // The stream starts with the call, as the WAV does: a small lag window suffices.
            var correlation = Audio.MaxNormalizedCorrelation(sent, samples, 1600);
            Assert.True(correlation < 0.3, $"{stream.Key} decodes as speech (correlation {correlation:0.000}): not encrypted");
        }

        var signalling = packets.Where(p => !p.IsUdp && (p.SourcePort == sut.SipPort || p.DestinationPort == sut.SipPort) && p.Payload.Length > 0).ToList();
        Assert.True(signalling.Count > 10, $"only {signalling.Count} TCP segments with data to or from the SIP port were captured");
        var clear = signalling.Count(p => System.Text.Encoding.ASCII.GetString(p.Payload).Contains("SIP/2.0", StringComparison.Ordinal));
        Assert.True(clear == 0, $"{clear} TCP segments on the SIP port carry plain SIP");
    }
}
