using HostedPbx.Switch.Media.Srtp;

namespace HostedPbx.Switch.Tests.Media.Srtp;

/// <summary>Datagrams come from anyone: unprotecting must never throw, and never accept what was not protected.</summary>
public sealed class SrtpContextHostileInputTests
{
    public static TheoryData<SrtpSuite> Suites => new(Enum.GetValues<SrtpSuite>());

    [Theory]
    [MemberData(nameof(Suites))]
    public void Unprotect_EveryPrefixOfProtectedPacket_RefusedWithoutThrowing(SrtpSuite suite)
    {
        var keys = SrtpKeys.Generate(suite);
        using var sender = new SrtpContext(suite, keys);
        using var receiver = new SrtpContext(suite, keys);
        var rtp = SrtpPackets.Rtp(3);
        sender.ProtectRtp(rtp, SrtpPackets.RtpLength(), out var rtpLength);
        var rtcp = SrtpPackets.Rtcp();
        sender.ProtectRtcp(rtcp, SrtpPackets.RtcpLength, out var rtcpLength);

        for (var length = 0; length < rtpLength; length++)
        {
            Assert.NotEqual(SrtpStatus.Ok, receiver.UnprotectRtp(rtp.AsSpan(0, length).ToArray(), out _));
        }

        for (var length = 0; length < rtcpLength; length++)
        {
            Assert.NotEqual(SrtpStatus.Ok, receiver.UnprotectRtcp(rtcp.AsSpan(0, length).ToArray(), out _));
        }

        Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(rtp.AsSpan(0, rtpLength), out _));
        Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtcp(rtcp.AsSpan(0, rtcpLength), out _));
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void Unprotect_MutatedPackets_NeverAcceptedNorThrow(SrtpSuite suite)
    {
        var keys = SrtpKeys.Generate(suite);
        using var sender = new SrtpContext(suite, keys);
        using var receiver = new SrtpContext(suite, keys);
        var rtp = SrtpPackets.Rtp(3);
        sender.ProtectRtp(rtp, SrtpPackets.RtpLength(), out var length);
        var random = new Random(3711);

        for (var round = 0; round < 500; round++)
        {
            var mutated = rtp[..length];
            var position = random.Next(mutated.Length);
            mutated[position] ^= (byte)random.Next(1, 256);

            var status = receiver.UnprotectRtp(mutated, out _);
            var rtcpStatus = receiver.UnprotectRtcp(mutated, out _);

            Assert.NotEqual(SrtpStatus.Ok, status);
            Assert.NotEqual(SrtpStatus.Ok, rtcpStatus);
        }
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void Unprotect_RandomDatagrams_NeverThrow(SrtpSuite suite)
    {
        using var receiver = new SrtpContext(suite, SrtpKeys.Generate(suite));
        var random = new Random(5761);

        for (var round = 0; round < 1000; round++)
        {
            var datagram = new byte[random.Next(0, 300)];
            random.NextBytes(datagram);
            if (datagram.Length > 0 && round % 2 == 0)
            {
                datagram[0] = (byte)(0x80 | (datagram[0] & 0x3F));
            }

            Assert.NotEqual(SrtpStatus.Ok, receiver.UnprotectRtp(datagram.ToArray(), out _));
            Assert.NotEqual(SrtpStatus.Ok, receiver.UnprotectRtcp(datagram, out _));
        }
    }
}
