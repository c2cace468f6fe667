using System.Security.Cryptography;
using HostedPbx.Switch.Media.Srtp;

namespace HostedPbx.Switch.Tests.Media.Srtp;

/// <summary>
/// The switch's SRTP calls libcrypto directly where it can, and the BCL where it cannot: both must put the same octets on
/// the wire and read each other's packets, for every suite, RTP and RTCP, at every payload length a call sends.
/// </summary>
public sealed class SrtpOpenSslTests
{
    public static TheoryData<SrtpSuite> Suites => new(Enum.GetValues<SrtpSuite>());

    [Theory]
    [MemberData(nameof(Suites))]
    public void OpenSslAndBcl_SameKeys_SendTheSameOctetsAndReadEachOther(SrtpSuite suite)
    {
        var keys = SrtpKeys.Generate(suite);
        using var nativeSender = new SrtpContext(suite, keys, openSsl: true);
        using var managedSender = new SrtpContext(suite, keys, openSsl: false);
        using var nativeReceiver = new SrtpContext(suite, keys, openSsl: true);
        using var managedReceiver = new SrtpContext(suite, keys, openSsl: false);
        Assert.True(nativeSender.UsesOpenSsl);
        Assert.False(managedSender.UsesOpenSsl);

        for (var payload = 0; payload <= 1400; payload += 7)
        {
            var rtp = new byte[12 + payload + 16];
            rtp[0] = 0x80;
            rtp[1] = 0;
            rtp[2] = (byte)(payload >> 8); // the sequence number: a new one per packet
            rtp[3] = (byte)payload;
            rtp[11] = 0x42;
            RandomNumberGenerator.Fill(rtp.AsSpan(12, payload));
            var native = rtp.ToArray();
            var managed = rtp.ToArray();
            Assert.Equal(SrtpStatus.Ok, nativeSender.ProtectRtp(native, 12 + payload, out var nativeLength));
            Assert.Equal(SrtpStatus.Ok, managedSender.ProtectRtp(managed, 12 + payload, out var managedLength));
            Assert.Equal(Convert.ToHexString(managed, 0, managedLength), Convert.ToHexString(native, 0, nativeLength));

            // Each receives the other's packet (the same octets, so each reads one of the two copies).
            Assert.Equal(SrtpStatus.Ok, managedReceiver.UnprotectRtp(native.AsSpan(0, nativeLength), out var plain));
            Assert.Equal(rtp.AsSpan(0, 12 + payload).ToArray(), native.AsSpan(0, plain).ToArray());
            Assert.Equal(SrtpStatus.Ok, nativeReceiver.UnprotectRtp(managed.AsSpan(0, managedLength), out plain));
            Assert.Equal(rtp.AsSpan(0, 12 + payload).ToArray(), managed.AsSpan(0, plain).ToArray());

            var rtcp = new byte[8 + payload + 4 + 4 + 16];
            rtcp[0] = 0x80;
            rtcp[1] = 200;
            rtcp[7] = 0x42;
            RandomNumberGenerator.Fill(rtcp.AsSpan(8, payload));
            native = rtcp.ToArray();
            managed = rtcp.ToArray();
            Assert.Equal(SrtpStatus.Ok, nativeSender.ProtectRtcp(native, 8 + payload, out nativeLength));
            Assert.Equal(SrtpStatus.Ok, managedSender.ProtectRtcp(managed, 8 + payload, out managedLength));
            Assert.Equal(Convert.ToHexString(managed, 0, managedLength), Convert.ToHexString(native, 0, nativeLength));
            Assert.Equal(SrtpStatus.Ok, managedReceiver.UnprotectRtcp(native.AsSpan(0, nativeLength), out plain));
            Assert.Equal(rtcp.AsSpan(0, 8 + payload).ToArray(), native.AsSpan(0, plain).ToArray());
            Assert.Equal(SrtpStatus.Ok, nativeReceiver.UnprotectRtcp(managed.AsSpan(0, managedLength), out plain));
            Assert.Equal(rtcp.AsSpan(0, 8 + payload).ToArray(), managed.AsSpan(0, plain).ToArray());
        }
    }

    [Theory]
    [InlineData(20)]
    [InlineData(64)]
    public void HmacSha1_OpenSsl_MatchesTheBcl(int keyLength)
    {
        var key = RandomNumberGenerator.GetBytes(keyLength);
        var message = RandomNumberGenerator.GetBytes(300);
        using var hmac = new HmacSha1(key, openSsl: true);
        using var bcl = new HmacSha1(key, openSsl: false);
        var digest = new byte[HmacSha1.Length];
        var expected = new byte[HmacSha1.Length];

        hmac.Compute(message.AsSpan(0, 172), message.AsSpan(172), digest);
        bcl.Compute(message, [], expected);
        Assert.Equal(expected, digest);

        // The kept pad states are not disturbed by a tag: the next one over another message is right too.
        hmac.Compute(message.AsSpan(0, 5), [], digest);
        bcl.Compute(message.AsSpan(0, 5), [], expected);
        Assert.Equal(expected, digest);
    }
}
