using System.Diagnostics.CodeAnalysis;

namespace HostedPbx.Switch.Media.Sdp;

/// <summary>Either negotiated media (with the answer to send, when we answered) or the reason it is not acceptable (488).</summary>
public sealed record NegotiationResult
{
    /// <summary>The SDP to send back; set when we answered an offer.</summary>
    public SessionDescription? Answer { get; init; }

    public NegotiatedMedia? Media { get; init; }

    /// <summary>Why the offer or answer is refused; the text of a 488 Not Acceptable Here (RFC 3261 §21.4.26).</summary>
    public string? NotAcceptableReason { get; init; }

    [MemberNotNullWhen(true, nameof(Media))]
    [MemberNotNullWhen(false, nameof(NotAcceptableReason))]
    public bool IsAcceptable => Media is not null;

    public static NegotiationResult NotAcceptable(string reason) => new() { NotAcceptableReason = reason };
}
