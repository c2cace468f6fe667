using System.Net;
using HostedPbx.Switch.Media.Relay;
using HostedPbx.Switch.Media.Srtp;
using HostedPbx.Switch.Tests.Media.Srtp;

namespace HostedPbx.Switch.Tests.Media.Relay;

/// <summary>
/// Issue 11: a handset's SRTP leg bridged to a plain trunk's RTP leg. The switch decrypts and encrypts on the handset's
/// side only: what reaches the carrier is the handset's audio in the clear, what reaches the handset is SRTP.
/// </summary>
public sealed class PlainRelayLegTests : IDisposable
{
    private static readonly SocketAddress s_phone = new IPEndPoint(IPAddress.Parse("192.0.2.10"), 4000).Serialize();
    private static readonly SocketAddress s_carrier = new IPEndPoint(IPAddress.Parse("198.51.100.7"), 40000).Serialize();
    private readonly SrtpKeys _phoneKey = SrtpKeys.Generate(SrtpSuite.AesCm128HmacSha1Tag80);
    private readonly SrtpKeys _legKey = SrtpKeys.Generate(SrtpSuite.AesCm128HmacSha1Tag80);
    private readonly SrtpContext _phoneSends;
    private readonly SrtpContext _phoneReceives;
    private readonly RelayLeg _handset;
    private readonly RelayLeg _carrier = new(null, null, rtcpMux: false, s_carrier, null);

    public PlainRelayLegTests()
    {
        _phoneSends = new SrtpContext(SrtpSuite.AesCm128HmacSha1Tag80, _phoneKey);
        _phoneReceives = new SrtpContext(SrtpSuite.AesCm128HmacSha1Tag80, _legKey);
        _handset = new RelayLeg(
            new SrtpContext(SrtpSuite.AesCm128HmacSha1Tag80, _phoneKey), new SrtpContext(SrtpSuite.AesCm128HmacSha1Tag80, _legKey), rtcpMux: true, s_phone, null);
    }

    [Fact]
    public void Relay_HandsetsSrtpTowardPlainTrunk_LeavesDecryptedWithTheSamePayload()
    {
        var buffer = SrtpPackets.Rtp(1);
        var plain = buffer[..SrtpPackets.RtpLength()];
        _phoneSends.ProtectRtp(buffer, SrtpPackets.RtpLength(), out var length);

        var result = _handset.Relay(buffer, length, s_phone, onRtcpPort: false, _carrier);

        Assert.Equal(RelayOutcome.Forward, result.Outcome);
        Assert.Equal(s_carrier, result.Destination);
        Assert.Equal(SrtpPackets.RtpLength(), result.Length);
        Assert.Equal(plain[12..], buffer[12..result.Length]);
    }

    [Fact]
    public void Relay_CarriersPlainRtpTowardHandset_LeavesAsSrtpOnlyTheHandsetsKeyOpens()
    {
        var buffer = new byte[SrtpPackets.RtpLength() + 64];
        var plain = SrtpPackets.Rtp(7);
        plain.AsSpan(0, SrtpPackets.RtpLength()).CopyTo(buffer);

        var result = _carrier.Relay(buffer, SrtpPackets.RtpLength(), s_carrier, onRtcpPort: false, _handset);

        Assert.Equal(RelayOutcome.Forward, result.Outcome);
        Assert.True(result.Length > SrtpPackets.RtpLength());
        Assert.NotEqual(plain[12..SrtpPackets.RtpLength()], buffer[12..SrtpPackets.RtpLength()]);
        Assert.Equal(SrtpStatus.Ok, _phoneReceives.UnprotectRtp(buffer.AsSpan(0, result.Length), out var opened));
        Assert.Equal(plain[12..SrtpPackets.RtpLength()], buffer[12..opened]);
    }

    [Fact]
    public void Relay_PlainLegGetsNonRtp_DroppedAsMalformedAndNotLatched()
    {
        var junk = new byte[64];
        junk[0] = 0x10;

        var result = _carrier.Relay(junk, 20, s_carrier, onRtcpPort: false, _handset);

        Assert.Equal(RelayOutcome.Malformed, result.Outcome);
        Assert.False(_carrier.IsLatched);
    }

    public void Dispose()
    {
        _phoneSends.Dispose();
        _phoneReceives.Dispose();
        _handset.Dispose();
        _carrier.Dispose();
    }
}
