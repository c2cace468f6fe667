using System.Diagnostics.CodeAnalysis;

namespace HostedPbx.Switch.Media.Sdp;

/// <summary>Either negotiated media (with the answer to send, when we answered) or the reason it is not acceptable (488).</summary>
public sealed record NegotiationResult
{
    /// <summary>The SDP to send back; set when we answered an offer.</summary>
    public SessionDescription? Answer { get; init; }

    public NegotiatedMedia? Media { get; init; }

    /// <summary>Why the offer or answer is refused, in detail, for the log; it may quote the peer's bytes, so it never goes on the wire.</summary>
    public string? NotAcceptableReason { get; init; }

    /// <summary>
    /// The reason phrase of the 488 Not Acceptable Here (RFC 3261 §21.4.26): our own fixed words for the kind of refusal,
    /// never the peer's bytes (issue 12, "Bad input").
    /// </summary>
    public string ReasonPhrase { get; init; } = "No acceptable SRTP audio offer";

    [MemberNotNullWhen(true, nameof(Media))]
    [MemberNotNullWhen(false, nameof(NotAcceptableReason))]
    public bool IsAcceptable => Media is not null;

    public static NegotiationResult NotAcceptable(string reason, string? reasonPhrase = null) =>
        reasonPhrase is null ? new() { NotAcceptableReason = reason } : new() { NotAcceptableReason = reason, ReasonPhrase = reasonPhrase };
}
