using System.Buffers.Binary;
using System.Net;
using HostedPbx.Switch.Media.Relay;
using HostedPbx.Switch.Media.Srtp;
using HostedPbx.Switch.Tests.Media.Srtp;

namespace HostedPbx.Switch.Tests.Media.Relay;

public sealed class RelayLegTests : IDisposable
{
    private static readonly SocketAddress s_phoneA = new IPEndPoint(IPAddress.Parse("192.0.2.10"), 4000).Serialize();
    private static readonly SocketAddress s_phoneANat = new IPEndPoint(IPAddress.Parse("198.51.100.1"), 61000).Serialize();
    private static readonly SocketAddress s_attacker = new IPEndPoint(IPAddress.Parse("203.0.113.66"), 5555).Serialize();
    private static readonly SocketAddress s_phoneB = new IPEndPoint(IPAddress.Parse("192.0.2.20"), 6000).Serialize();

    // Phone A sends with its key (suite 80); phone B receives with the key the switch gave leg B (AES-GCM): re-keyed.
    private readonly SrtpKeys _phoneAKey = SrtpKeys.Generate(SrtpSuite.AesCm128HmacSha1Tag80);
    private readonly SrtpKeys _legAKey = SrtpKeys.Generate(SrtpSuite.AesCm128HmacSha1Tag80);
    private readonly SrtpKeys _phoneBKey = SrtpKeys.Generate(SrtpSuite.AeadAes128Gcm);
    private readonly SrtpKeys _legBKey = SrtpKeys.Generate(SrtpSuite.AeadAes128Gcm);
    private readonly SrtpContext _phoneASends;
    private readonly SrtpContext _phoneBReceives;
    private readonly RelayLeg _legA;
    private readonly RelayLeg _legB;

    public RelayLegTests()
    {
        _phoneASends = new SrtpContext(SrtpSuite.AesCm128HmacSha1Tag80, _phoneAKey);
        _phoneBReceives = new SrtpContext(SrtpSuite.AeadAes128Gcm, _legBKey);
        _legA = new RelayLeg(
            new SrtpContext(SrtpSuite.AesCm128HmacSha1Tag80, _phoneAKey), new SrtpContext(SrtpSuite.AesCm128HmacSha1Tag80, _legAKey),
            rtcpMux: true, s_phoneA, null);
        _legB = new RelayLeg(
            new SrtpContext(SrtpSuite.AeadAes128Gcm, _phoneBKey), new SrtpContext(SrtpSuite.AeadAes128Gcm, _legBKey),
            rtcpMux: true, s_phoneB, null);
    }

    [Fact]
    public void Relay_FirstAuthenticPacket_LatchesAndForwardsReKeyed()
    {
        var (buffer, length, plain) = FromPhoneA(1);

        var result = _legA.Relay(buffer, length, s_phoneANat, onRtcpPort: false, _legB);

        Assert.Equal(RelayOutcome.Forward, result.Outcome);
        Assert.Equal(s_phoneB, result.Destination);
        Assert.True(_legA.IsLatched);
        Assert.Equal(s_phoneANat, _legA.RtpDestination);
        Assert.Equal(SrtpStatus.Ok, _phoneBReceives.UnprotectRtp(buffer.AsSpan(0, result.Length), out var received));
        Assert.Equal(plain[12..], buffer[12..received]);
        Assert.Equal(plain[4..8], buffer[4..8]);
        Assert.Equal(_legB.OutboundSsrc, BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(8)));
    }

    [Fact]
    public void Relay_BeforeLatching_SendsToSignalledAddressThenToLatched()
    {
        Assert.Equal(s_phoneA, _legA.RtpDestination);
        var (buffer, length, _) = FromPhoneA(1);
        _legA.Relay(buffer, length, s_phoneANat, onRtcpPort: false, _legB);

        Assert.Equal(s_phoneANat, _legA.RtpDestination);
    }

    [Fact]
    public void Relay_ForgedPacketFromStranger_AuthFailedAndNotLatched()
    {
        using var stranger = new SrtpContext(SrtpSuite.AesCm128HmacSha1Tag80, SrtpKeys.Generate(SrtpSuite.AesCm128HmacSha1Tag80));
        var buffer = SrtpPackets.Rtp(1);
        stranger.ProtectRtp(buffer, SrtpPackets.RtpLength(), out var length);

        var result = _legA.Relay(buffer, length, s_attacker, onRtcpPort: false, _legB);

        Assert.Equal(RelayOutcome.AuthFailed, result.Outcome);
        Assert.False(_legA.IsLatched);
        Assert.Equal(1, _legA.Counters.AuthFailures);
        Assert.Equal(0, _legA.Counters.Relayed);
        var (genuine, genuineLength, _) = FromPhoneA(1);
        Assert.Equal(RelayOutcome.Forward, _legA.Relay(genuine, genuineLength, s_phoneANat, onRtcpPort: false, _legB).Outcome);
        Assert.Equal(s_phoneANat, _legA.RtpDestination);
    }

    [Fact]
    public void Relay_AfterLatching_OtherSourceRefused()
    {
        var (first, firstLength, _) = FromPhoneA(1);
        _legA.Relay(first, firstLength, s_phoneANat, onRtcpPort: false, _legB);
        var (second, secondLength, _) = FromPhoneA(2);

        var result = _legA.Relay(second, secondLength, s_attacker, onRtcpPort: false, _legB);

        Assert.Equal(RelayOutcome.WrongSource, result.Outcome);
        Assert.Equal(1, _legA.Counters.WrongSource);
        Assert.Equal(s_phoneANat, _legA.RtpDestination);
    }

    [Fact]
    public void Relay_ReplayedPacket_CountedAndDropped()
    {
        var (buffer, length, _) = FromPhoneA(7);
        var copy = buffer[..length];
        _legA.Relay(buffer, length, s_phoneANat, onRtcpPort: false, _legB);

        var result = _legA.Relay(copy, length, s_phoneANat, onRtcpPort: false, _legB);

        Assert.Equal(RelayOutcome.Replayed, result.Outcome);
        Assert.Equal(new RelayLegCounters(Received: 2, Relayed: 1, AuthFailures: 0, Replays: 1, Malformed: 0, WrongSource: 0), _legA.Counters);
    }

    [Fact]
    public void Relay_TooShort_Malformed()
    {
        var result = _legA.Relay(new byte[64], 5, s_phoneANat, onRtcpPort: false, _legB);

        Assert.Equal(RelayOutcome.Malformed, result.Outcome);
        Assert.Equal(1, _legA.Counters.Malformed);
    }

    [Fact]
    public void Relay_MuxedRtcp_DetectedAndRelayedAsSrtcp()
    {
        var buffer = SrtpPackets.Rtcp();
        var plain = buffer[..SrtpPackets.RtcpLength];
        _phoneASends.ProtectRtcp(buffer, plain.Length, out var length);

        var result = _legA.Relay(buffer, length, s_phoneANat, onRtcpPort: false, _legB);

        Assert.Equal(RelayOutcome.Forward, result.Outcome);
        Assert.True(result.IsRtcp);
        Assert.Equal(s_phoneB, result.Destination);
        Assert.Equal(SrtpStatus.Ok, _phoneBReceives.UnprotectRtcp(buffer.AsSpan(0, result.Length), out var received));
        Assert.Equal(plain[8..], buffer[8..received]);
        Assert.Equal(_legB.OutboundSsrc, BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(4)));
    }

    [Fact]
    public void Relay_OtherLegWithoutAddress_NoDestination()
    {
        using var silent = new RelayLeg(
            new SrtpContext(SrtpSuite.AeadAes128Gcm, _phoneBKey), new SrtpContext(SrtpSuite.AeadAes128Gcm, _legBKey), rtcpMux: true, null, null);
        var (buffer, length, _) = FromPhoneA(1);

        Assert.Equal(RelayOutcome.NoDestination, _legA.Relay(buffer, length, s_phoneANat, onRtcpPort: false, silent).Outcome);
    }

    [Fact]
    public void Relay_SteadyState_AllocatesNothing()
    {
        var template = SrtpPackets.Rtp(0);
        var buffer = new byte[template.Length];
        ushort sequence = 0;

        Run(100);
        var allocated = Allocations.LeastOfFiveWindows(() => Run(2000));

        Assert.Equal(0, allocated);

        void Run(int count)
        {
            for (var i = 0; i < count; i++)
            {
                template.AsSpan().CopyTo(buffer);
                BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), sequence++);
                _phoneASends.ProtectRtp(buffer, SrtpPackets.RtpLength(), out var length);
                if (_legA.Relay(buffer, length, s_phoneANat, onRtcpPort: false, _legB).Outcome != RelayOutcome.Forward)
                {
                    Assert.Fail($"packet {i} was not relayed");
                }
            }
        }
    }

    public void Dispose()
    {
        _phoneASends.Dispose();
        _phoneBReceives.Dispose();
        _legA.Dispose();
        _legB.Dispose();
    }

    private (byte[] Buffer, int Length, byte[] Plain) FromPhoneA(ushort sequence)
    {
        var buffer = SrtpPackets.Rtp(sequence);
        var plain = buffer[..SrtpPackets.RtpLength()];
        Assert.Equal(SrtpStatus.Ok, _phoneASends.ProtectRtp(buffer, plain.Length, out var length));
        return (buffer, length, plain);
    }
}
