using HostedPbx.Switch.Media.Srtp;

namespace HostedPbx.Switch.Tests.Media.Srtp;

public sealed class SrtpContextTests : IDisposable
{
    private readonly List<SrtpContext> _contexts = [];

    public static TheoryData<SrtpSuite> Suites => new(Enum.GetValues<SrtpSuite>());

    [Theory]
    [MemberData(nameof(Suites))]
    public void ProtectRtp_ThenUnprotect_RestoresPacket(SrtpSuite suite)
    {
        var (sender, receiver) = Pair(suite);
        var packet = SrtpPackets.Rtp(1000);
        var plain = packet[..SrtpPackets.RtpLength()];

        Assert.Equal(SrtpStatus.Ok, sender.ProtectRtp(packet, plain.Length, out var protectedLength));
        Assert.Equal(plain.Length + sender.SrtpOverhead, protectedLength);
        Assert.Equal(plain[..12], packet[..12]);
        Assert.NotEqual(plain[12..], packet[12..plain.Length]);
        Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(packet.AsSpan(0, protectedLength), out var length));
        Assert.Equal(plain, packet[..length]);
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void ProtectRtcp_ThenUnprotect_RestoresPacket(SrtpSuite suite)
    {
        var (sender, receiver) = Pair(suite);
        var packet = SrtpPackets.Rtcp();
        var plain = packet[..SrtpPackets.RtcpLength];

        Assert.Equal(SrtpStatus.Ok, sender.ProtectRtcp(packet, plain.Length, out var protectedLength));
        Assert.Equal(plain.Length + sender.SrtcpOverhead, protectedLength);
        Assert.NotEqual(plain[8..], packet[8..plain.Length]);
        Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtcp(packet.AsSpan(0, protectedLength), out var length));
        Assert.Equal(plain, packet[..length]);
    }

    [Theory]
    [InlineData(SrtpSuite.AesCm128HmacSha1Tag80, 10, 14)]
    [InlineData(SrtpSuite.AesCm128HmacSha1Tag32, 4, 14)]
    [InlineData(SrtpSuite.Aes256CmHmacSha1Tag32, 4, 14)]
    [InlineData(SrtpSuite.AeadAes128Gcm, 16, 20)]
    public void Overhead_FollowsSuite(SrtpSuite suite, int srtp, int srtcp)
    {
        using var context = new SrtpContext(suite, SrtpKeys.Generate(suite));

        Assert.Equal(srtp, context.SrtpOverhead);
        Assert.Equal(srtcp, context.SrtcpOverhead);
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void UnprotectRtp_WrongKey_AuthFailedAndPacketUnchanged(SrtpSuite suite)
    {
        using var sender = new SrtpContext(suite, SrtpKeys.Generate(suite));
        using var stranger = new SrtpContext(suite, SrtpKeys.Generate(suite));
        var packet = SrtpPackets.Rtp(7);
        sender.ProtectRtp(packet, SrtpPackets.RtpLength(), out var length);
        var received = packet[..length];

        Assert.Equal(SrtpStatus.AuthFailed, stranger.UnprotectRtp(packet.AsSpan(0, length), out _));
        Assert.Equal(received, packet[..length]);
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void UnprotectRtp_SamePacketTwice_Replayed(SrtpSuite suite)
    {
        var (sender, receiver) = Pair(suite);
        var packet = SrtpPackets.Rtp(42);
        sender.ProtectRtp(packet, SrtpPackets.RtpLength(), out var length);
        var copy = packet[..length];

        Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(packet.AsSpan(0, length), out _));
        Assert.Equal(SrtpStatus.Replayed, receiver.UnprotectRtp(copy, out _));
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void UnprotectRtcp_SamePacketTwice_Replayed(SrtpSuite suite)
    {
        var (sender, receiver) = Pair(suite);
        var packet = SrtpPackets.Rtcp();
        sender.ProtectRtcp(packet, SrtpPackets.RtcpLength, out var length);
        var copy = packet[..length];

        Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtcp(packet.AsSpan(0, length), out _));
        Assert.Equal(SrtpStatus.Replayed, receiver.UnprotectRtcp(copy, out _));
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void Unprotect_ShorterThanHeaderAndTag_Truncated(SrtpSuite suite)
    {
        var (sender, receiver) = Pair(suite);
        var rtp = SrtpPackets.Rtp(1, payloadLength: 0);
        sender.ProtectRtp(rtp, SrtpPackets.RtpLength(0), out var rtpLength);

        Assert.Equal(SrtpStatus.Truncated, receiver.UnprotectRtp(rtp.AsSpan(0, rtpLength - 1), out _));
        Assert.Equal(SrtpStatus.Truncated, receiver.UnprotectRtcp(new byte[8 + receiver.SrtcpOverhead - 1], out _));
        Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(rtp.AsSpan(0, rtpLength), out _));
    }

    [Fact]
    public void UnprotectRtp_CsrcCountBeyondPacket_Truncated()
    {
        var (_, receiver) = Pair(SrtpSuite.AesCm128HmacSha1Tag80);
        var packet = SrtpPackets.Rtp(1, payloadLength: 0);
        packet[0] = 0x8F; // 15 CSRCs = 60 octets the packet does not have

        Assert.Equal(SrtpStatus.Truncated, receiver.UnprotectRtp(packet.AsSpan(0, 12 + 10), out _));
    }

    [Fact]
    public void UnprotectRtp_NotVersion2_Malformed()
    {
        var (_, receiver) = Pair(SrtpSuite.AesCm128HmacSha1Tag80);
        var packet = SrtpPackets.Rtp(1);
        packet[0] = 0x40;

        Assert.Equal(SrtpStatus.Malformed, receiver.UnprotectRtp(packet.AsSpan(0, 182), out _));
    }

    [Fact]
    public void ProtectRtp_NoRoomForTag_BufferTooSmall()
    {
        var (sender, _) = Pair(SrtpSuite.AesCm128HmacSha1Tag80);
        var packet = SrtpPackets.Rtp(1);

        Assert.Equal(SrtpStatus.BufferTooSmall, sender.ProtectRtp(packet.AsSpan(0, 172 + 9), 172, out _));
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void UnprotectRtp_SequenceWrapsFrom65535To0_RolloverCounterAdvances(SrtpSuite suite)
    {
        var (sender, receiver) = Pair(suite);
        foreach (var sequence in new ushort[] { 65534, 65535, 0, 1 })
        {
            var packet = SrtpPackets.Rtp(sequence);
            var plain = packet[..SrtpPackets.RtpLength()];
            Assert.Equal(SrtpStatus.Ok, sender.ProtectRtp(packet, plain.Length, out var length));
            Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(packet.AsSpan(0, length), out var plainLength));
            Assert.Equal(plain, packet[..plainLength]);
        }
    }

    [Fact]
    public void UnprotectRtp_AfterWrap_ReceiverWithoutRolloverCannotAuthenticate()
    {
        // The sender's ROC really moved: a fresh receiver (ROC 0) must not accept sequence 0 of the second cycle.
        var keys = SrtpKeys.Generate(SrtpSuite.AesCm128HmacSha1Tag80);
        using var sender = new SrtpContext(SrtpSuite.AesCm128HmacSha1Tag80, keys);
        using var fresh = new SrtpContext(SrtpSuite.AesCm128HmacSha1Tag80, keys);
        foreach (var sequence in new ushort[] { 65535, 0 })
        {
            var packet = SrtpPackets.Rtp(sequence);
            sender.ProtectRtp(packet, SrtpPackets.RtpLength(), out var length);
            if (sequence == 0)
            {
                Assert.Equal(SrtpStatus.AuthFailed, fresh.UnprotectRtp(packet.AsSpan(0, length), out _));
            }
        }
    }

    [Fact]
    public void UnprotectRtp_LatePacketFromBeforeWrap_AcceptedWithPreviousRollover()
    {
        var (sender, receiver) = Pair(SrtpSuite.AesCm128HmacSha1Tag80);
        var packets = new ushort[] { 65533, 65534, 65535, 0, 1 }.Select(sequence => Protect(sender, sequence)).ToList();

        foreach (var index in new[] { 0, 1, 3, 4, 2 })
        {
            Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(packets[index], out _));
        }
    }

    [Fact]
    public void UnprotectRtp_OutOfOrderWithinWindow_Accepted()
    {
        var (sender, receiver) = Pair(SrtpSuite.AesCm128HmacSha1Tag80);
        var packets = Enumerable.Range(100, 40).Select(sequence => Protect(sender, (ushort)sequence)).ToList();

        foreach (var index in new[] { 39, 0, 20, 38, 1 })
        {
            Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(packets[index], out _));
        }
    }

    [Fact]
    public void UnprotectRtp_OlderThanWindow_Replayed()
    {
        var (sender, receiver) = Pair(SrtpSuite.AesCm128HmacSha1Tag80);
        var old = Protect(sender, 100);
        var edge = Protect(sender, 101);
        var newest = Protect(sender, 100 + ReplayWindow.Size);

        Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(newest, out _));
        Assert.Equal(SrtpStatus.Replayed, receiver.UnprotectRtp(old, out _));
        Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(edge, out _));
    }

    [Fact]
    public void UnprotectRtp_FailedPacket_DoesNotAdvanceReplayWindow()
    {
        var (sender, receiver) = Pair(SrtpSuite.AesCm128HmacSha1Tag80);
        var genuine = Protect(sender, 5);
        var forged = genuine.ToArray();
        forged[^1] ^= 1;

        Assert.Equal(SrtpStatus.AuthFailed, receiver.UnprotectRtp(forged, out _));
        Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(genuine, out _));
    }

    [Fact]
    public void UnprotectRtp_SeveralSsrcs_KeepSeparateReplayLists()
    {
        var (sender, receiver) = Pair(SrtpSuite.AesCm128HmacSha1Tag80);
        var first = Protect(sender, 9, ssrc: 1);
        var second = Protect(sender, 9, ssrc: 2);

        Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(first, out _));
        Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(second, out _));
    }

    [Fact]
    public void Constructor_KeysOfAnotherSuite_Throws()
    {
        var keys = SrtpKeys.Generate(SrtpSuite.AesCm128HmacSha1Tag80);

        Assert.Throws<ArgumentException>(() => new SrtpContext(SrtpSuite.Aes256CmHmacSha1Tag80, keys));
    }

    public void Dispose()
    {
        foreach (var context in _contexts)
        {
            context.Dispose();
        }
    }

    private static byte[] Protect(SrtpContext sender, ushort sequence, uint ssrc = 0x11223344)
    {
        var packet = SrtpPackets.Rtp(sequence, ssrc);
        Assert.Equal(SrtpStatus.Ok, sender.ProtectRtp(packet, SrtpPackets.RtpLength(), out var length));
        return packet[..length];
    }

    private (SrtpContext Sender, SrtpContext Receiver) Pair(SrtpSuite suite)
    {
        var keys = SrtpKeys.Generate(suite);
        var pair = (new SrtpContext(suite, keys), new SrtpContext(suite, keys));
        _contexts.Add(pair.Item1);
        _contexts.Add(pair.Item2);
        return pair;
    }
}
