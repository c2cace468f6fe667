using System.Diagnostics.CodeAnalysis;
using HostedPbx.Switch.Media.Srtp;

namespace HostedPbx.Switch.Media.Sdp;

/// <summary>
/// The outcome of one leg's offer/answer: the peer's media address, the codecs both sides accept, and the two SDES
/// keys. Each side's a=crypto key protects what that side sends (RFC 4568 §6.1): the peer's key unprotects what
/// arrives from the leg, ours protects what the switch sends to it.
/// </summary>
public sealed record NegotiatedMedia
{
    private readonly SrtpSuite? _suite;
    private readonly SdesCryptoAttribute? _remoteCrypto;
    private readonly SdesCryptoAttribute? _localCrypto;

    public NegotiatedMedia()
    {
    }

    /// <summary>
    /// Plain RTP (RTP/AVP, RFC 3551): only toward a named trunk the operator allowed it for (issue 11), never a handset's
    /// or a node's leg. It has no suite and no keys: reading them is a bug.
    /// </summary>
    [SetsRequiredMembers]
    internal NegotiatedMedia(string remoteAddress, int remoteRtpPort, int remoteRtcpPort, bool rtcpMux, MediaDirection direction, IReadOnlyList<SdpRtpMap> codecs)
    {
        RemoteAddress = remoteAddress;
        RemoteRtpPort = remoteRtpPort;
        RemoteRtcpPort = remoteRtcpPort;
        RtcpMux = rtcpMux;
        Direction = direction;
        Codecs = codecs;
    }

    /// <summary>True on a plain-RTP leg: nothing is encrypted between the switch and this peer.</summary>
    public bool IsPlain => _remoteCrypto is null;

    public SrtpSuite Suite { get => _suite ?? throw PlainLeg(); init => _suite = value; }

    /// <summary>The peer's line: its key protects what the peer sends.</summary>
    public SdesCryptoAttribute RemoteCrypto { get => _remoteCrypto ?? throw PlainLeg(); init => _remoteCrypto = value; }

    /// <summary>Our line: its key protects what the switch sends to the peer.</summary>
    public SdesCryptoAttribute LocalCrypto { get => _localCrypto ?? throw PlainLeg(); init => _localCrypto = value; }

    public required string RemoteAddress { get; init; }

    public required int RemoteRtpPort { get; init; }

    /// <summary>Where the peer wants RTCP: the RTP port with rtcp-mux, else its a=rtcp port, else RTP port + 1.</summary>
    public required int RemoteRtcpPort { get; init; }

    public required bool RtcpMux { get; init; }

    /// <summary>The direction from the switch's side of this leg.</summary>
    public required MediaDirection Direction { get; init; }

    /// <summary>Accepted audio codecs with the payload types of this leg, in the peer's order; telephone-event excluded.</summary>
    public required IReadOnlyList<SdpRtpMap> Codecs { get; init; }

    /// <summary>The leg's payload type for RFC 4733 events at 8 kHz, when both sides have it.</summary>
    public int? TelephoneEventPayloadType { get; init; }

    public int? Ptime { get; init; }

    /// <summary>For packets arriving from the leg.</summary>
    public SrtpContext CreateInboundContext() => RemoteCrypto.CreateContext();

    /// <summary>For packets the switch sends to the leg.</summary>
    public SrtpContext CreateOutboundContext() => LocalCrypto.CreateContext();

    private static InvalidOperationException PlainLeg() => new("This leg's media is plain RTP: it has no SRTP suite or keys.");
}
