using System.Buffers.Binary;
using System.Net;
using HostedPbx.Switch.Media.Relay;
using HostedPbx.Switch.Media.Srtp;
using HostedPbx.Switch.Tests.Media.Srtp;

namespace HostedPbx.Switch.Tests.Media.Relay;

/// <summary>
/// Issue 12 item 5: every outbound stream of the switch has its own SSRC and index, so whatever the sending side does
/// across a re-INVITE, no (SSRC, index) is protected twice under the outbound key. Read from the real SRTP bytes.
/// </summary>
public sealed class OutboundStreamTests : IDisposable
{
    private static readonly SocketAddress s_phoneA = new IPEndPoint(IPAddress.Parse("192.0.2.10"), 4000).Serialize();
    private static readonly SocketAddress s_phoneB = new IPEndPoint(IPAddress.Parse("192.0.2.20"), 6000).Serialize();
    private readonly SrtpKeys _legBKey = SrtpKeys.Generate(SrtpSuite.AeadAes128Gcm);
    private readonly RelayLeg _legB;
    private readonly List<(uint Ssrc, ulong Index)> _protected = [];
    private readonly List<SrtpContext> _phones = [];
    private ulong _highest;
    private bool _any;

    public OutboundStreamTests()
    {
        _legB = new RelayLeg(
            new SrtpContext(SrtpSuite.AeadAes128Gcm, SrtpKeys.Generate(SrtpSuite.AeadAes128Gcm)), new SrtpContext(SrtpSuite.AeadAes128Gcm, _legBKey),
            rtcpMux: true, s_phoneB, null);
    }

    [Fact]
    public void ReInvite_SenderRestartsSequenceUnderNewKey_NoIndexProtectedTwice()
    {
        using var legA1 = PhoneLeg(out var phoneA1);
        Relay(legA1, phoneA1, ssrc: 0x1111, sequences: Range(1000, 100));
        using var legA2 = PhoneLeg(out var phoneA2);

        // After the re-INVITE the phone keeps its SSRC and starts its sequence over, under its new key.
        Relay(legA2, phoneA2, ssrc: 0x1111, sequences: Range(1000, 100));

        AssertEachIndexOnce(200);
    }

    [Fact]
    public void ReInvite_SenderChangesSsrcAndJumpsBack_NoIndexProtectedTwice()
    {
        using var legA1 = PhoneLeg(out var phoneA1);
        Relay(legA1, phoneA1, ssrc: 0x1111, sequences: Range(30000, 80));
        using var legA2 = PhoneLeg(out var phoneA2);
        Relay(legA2, phoneA2, ssrc: 0x2222, sequences: Range(29990, 40));
        Relay(legA2, phoneA2, ssrc: 0x1111, sequences: Range(30050, 40));

        AssertEachIndexOnce(160);
    }

    [Fact]
    public void Relay_GapAndReorder_KeptInTheSwitchSequence()
    {
        using var legA = PhoneLeg(out var phoneA);

        Relay(legA, phoneA, ssrc: 0x1111, sequences: [10, 11, 14, 13, 15]);

        var first = _protected[0].Index;
        Assert.Equal([0UL, 1, 4, 3, 5], _protected.Select(p => p.Index - first));
        AssertEachIndexOnce(5);
    }

    [Fact]
    public void Relay_Rtcp_SenderSsrcIsTheStreams()
    {
        using var legA = PhoneLeg(out var phoneA);
        using var phoneBReceives = new SrtpContext(SrtpSuite.AeadAes128Gcm, _legBKey);
        var buffer = SrtpPackets.Rtcp(0x1111);
        phoneA.ProtectRtcp(buffer, SrtpPackets.RtcpLength, out var length);

        var result = legA.Relay(buffer, length, s_phoneA, onRtcpPort: false, _legB);

        Assert.Equal(RelayOutcome.Forward, result.Outcome);
        Assert.Equal(SrtpStatus.Ok, phoneBReceives.UnprotectRtcp(buffer.AsSpan(0, result.Length), out _));
        Assert.Equal(_legB.OutboundSsrc, BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(4)));
    }

    public void Dispose()
    {
        _legB.Dispose();
        _phones.ForEach(p => p.Dispose());
    }

    private static ushort[] Range(int start, int count) => [.. Enumerable.Range(start, count).Select(s => (ushort)s)];

    private RelayLeg PhoneLeg(out SrtpContext phoneSends)
    {
        var key = SrtpKeys.Generate(SrtpSuite.AesCm128HmacSha1Tag80);
        phoneSends = new SrtpContext(SrtpSuite.AesCm128HmacSha1Tag80, key);
        _phones.Add(phoneSends);
        return new RelayLeg(
            new SrtpContext(SrtpSuite.AesCm128HmacSha1Tag80, key), new SrtpContext(SrtpSuite.AesCm128HmacSha1Tag80, SrtpKeys.Generate(SrtpSuite.AesCm128HmacSha1Tag80)),
            rtcpMux: true, s_phoneA, null);
    }

    /// <summary>Relays each packet toward leg B and records the (SSRC, index) it was protected with, from the wire.</summary>
    private void Relay(RelayLeg from, SrtpContext phone, uint ssrc, ushort[] sequences)
    {
        foreach (var sequence in sequences)
        {
            var buffer = SrtpPackets.Rtp(sequence, ssrc);
            Assert.Equal(SrtpStatus.Ok, phone.ProtectRtp(buffer, SrtpPackets.RtpLength(), out var length));
            var result = from.Relay(buffer, length, s_phoneA, onRtcpPort: false, _legB);
            Assert.Equal(RelayOutcome.Forward, result.Outcome);
            _protected.Add((BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(8)), Extend(BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(2)))));
        }
    }

    /// <summary>The 48-bit index a receiver infers from the wire's 16-bit sequence (RFC 3711 §3.3.1).</summary>
    private ulong Extend(ushort sequence)
    {
        if (!_any)
        {
            _any = true;
            _highest = sequence;
            return sequence;
        }

        var candidates = new[] { (long)(_highest & ~0xFFFFUL) - 0x10000 + sequence, (long)(_highest & ~0xFFFFUL) + sequence, (long)(_highest & ~0xFFFFUL) + 0x10000 + sequence };
        var index = (ulong)candidates.Where(c => c >= 0).MinBy(c => Math.Abs(c - (long)_highest));
        _highest = Math.Max(_highest, index);
        return index;
    }

    private void AssertEachIndexOnce(int packets)
    {
        Assert.Equal(packets, _protected.Count);
        Assert.All(_protected, p => Assert.Equal(_legB.OutboundSsrc, p.Ssrc));
        Assert.Equal(packets, _protected.Distinct().Count());
    }
}
