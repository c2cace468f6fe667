using HostedPbx.Switch.Media.Srtp;

namespace HostedPbx.Switch.Media.Sdp;

/// <summary>
/// The outcome of one leg's offer/answer: the peer's media address, the codecs both sides accept, and the two SDES
/// keys. Each side's a=crypto key protects what that side sends (RFC 4568 §6.1): the peer's key unprotects what
/// arrives from the leg, ours protects what the switch sends to it.
/// </summary>
public sealed record NegotiatedMedia
{
    public required SrtpSuite Suite { get; init; }

    /// <summary>The peer's line: its key protects what the peer sends.</summary>
    public required SdesCryptoAttribute RemoteCrypto { get; init; }

    /// <summary>Our line: its key protects what the switch sends to the peer.</summary>
    public required SdesCryptoAttribute LocalCrypto { get; init; }

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
}
