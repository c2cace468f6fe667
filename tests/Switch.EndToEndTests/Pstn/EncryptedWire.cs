using System.Text;
using HostedPbx.Switch.EndToEndTests.Support;

namespace HostedPbx.Switch.EndToEndTests.Pstn;

/// <summary>
/// Issue 11 item 4, the capture check of a PSTN call through the carrier, either way: what a
/// <see cref="LoopbackCapture"/> of the call shows must agree with a statement that calls both legs encrypted.
/// </summary>
internal static class EncryptedWire
{
    private const int RtpHeaderLength = 12;
    private const int AuthenticationTagLength = 10;

    /// <summary>The capture filter: the switch's media ports and the TCP ports the call's signalling crosses.</summary>
    public static string Filter((int Min, int Max) mediaPorts, params int[] sipPorts) =>
        $"(udp portrange {mediaPorts.Min}-{mediaPorts.Max}) or " + string.Join(" or ", sipPorts.Select(port => $"(tcp port {port})"));

    /// <summary>
    /// RTP on two switch ports (the handset's leg and the carrier's), to and from the switch, none of it decodable as
    /// <paramref name="speech"/> in PCMU (RFC 3711: SRTP encrypts the payload); and TLS on each of
    /// <paramref name="sipPorts"/>: data flowed, and none of it is plain SIP.
    /// </summary>
    public static async Task AssertEncryptedAsync(
        IReadOnlyList<CapturedPacket> packets, (int Min, int Max) mediaPorts, string speech, IReadOnlyList<int> sipPorts, string captureLog,
        CancellationToken cancellationToken)
    {
        bool InRange(int port) => port >= mediaPorts.Min && port <= mediaPorts.Max;
        var rtp = packets.Where(p => p.IsUdp && p.Payload.Length > RtpHeaderLength + AuthenticationTagLength
            && p.Payload[0] >> 6 == 2 && (p.Payload[1] & 0x7f) == 0 && (InRange(p.SourcePort) || InRange(p.DestinationPort))).ToList();
        var streams = rtp.GroupBy(p => InRange(p.DestinationPort) ? $"→ switch port {p.DestinationPort}" : $"switch port {p.SourcePort} →").ToList();
        Assert.True(streams.Count == 4, $"expected four RTP streams (to and from the switch on two legs), saw {string.Join(", ", streams.Select(s => $"{s.Key}:{s.Count()}"))}\n{captureLog}");
        var sent = Audio.ReadWav(speech);
        // The control: the same speech in plain PCMU does correlate, so the check below can tell.
        var plain = Audio.MaxNormalizedCorrelation(sent, Audio.DecodeMuLaw(await Audio.EncodeMuLawAsync(speech, cancellationToken)), 1600);
        Assert.True(plain > 0.9, $"plain PCMU of the speech correlates only {plain:0.000}: the check below could not tell");
        foreach (var stream in streams)
        {
            Assert.True(stream.Count() > 100, $"only {stream.Count()} packets {stream.Key}");
            var samples = Audio.DecodeMuLaw(stream.SelectMany(p => p.Payload[RtpHeaderLength..^AuthenticationTagLength]));
            var correlation = Audio.MaxNormalizedCorrelation(sent, samples, 1600);
            Assert.True(correlation < 0.3, $"RTP {stream.Key} decodes as speech (correlation {correlation:0.000}): not encrypted");
        }

        foreach (var port in sipPorts)
        {
            var segments = packets.Where(p => !p.IsUdp && (p.SourcePort == port || p.DestinationPort == port) && p.Payload.Length > 0).ToList();
            Assert.True(segments.Count > 4, $"only {segments.Count} TCP segments with data on port {port}");
            Assert.DoesNotContain(segments, p => Encoding.ASCII.GetString(p.Payload).Contains("SIP/2.0", StringComparison.Ordinal));
        }
    }
}
