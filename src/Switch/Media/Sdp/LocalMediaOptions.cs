using HostedPbx.Switch.Media.Srtp;

namespace HostedPbx.Switch.Media.Sdp;

/// <summary>What the switch puts in its side of an offer or answer for one leg.</summary>
public sealed record LocalMediaOptions
{
    /// <summary>The address the leg's media socket is reachable at (c= and o=).</summary>
    public required string Address { get; init; }

    public required int RtpPort { get; init; }

    /// <summary>When set, written as a=rtcp (RFC 3605); otherwise RTCP is on RTP port + 1 or muxed.</summary>
    public int? RtcpPort { get; init; }

    public required ulong SessionId { get; init; }

    /// <summary>Incremented by the caller for every new offer or answer of the same session (RFC 3264 §8).</summary>
    public required ulong SessionVersion { get; init; }

    /// <summary>The suites the tenant allows, most preferred first; an offer lists them in this order.</summary>
    public required IReadOnlyList<SrtpSuite> Suites { get; init; }

    /// <summary>Offer rtcp-mux, and accept it when offered (RFC 5761 §5.1.1).</summary>
    public bool RtcpMux { get; init; } = true;

    /// <summary>Our own wish: sendrecv normally, sendonly or inactive to hold (RFC 3264 §8.4).</summary>
    public MediaDirection Direction { get; init; } = MediaDirection.SendRecv;

    /// <summary>Codecs we relay, most preferred first; telephone-event is matched on its clock rate, not its payload type.</summary>
    public IReadOnlyList<SdpRtpMap> Codecs { get; init; } = [SdpRtpMap.Pcmu, SdpRtpMap.Pcma, SdpRtpMap.TelephoneEvent];

    public int Ptime { get; init; } = 20;

    public string UserName { get; init; } = "-";
}
