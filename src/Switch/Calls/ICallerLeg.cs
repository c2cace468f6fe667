using HostedPbx.Switch.Media.Sdp;
using HostedPbx.Switch.Sip.Transactions;

namespace HostedPbx.Switch.Calls;

/// <summary>
/// The first leg of a call, whose INVITE the switch answers as UAS: a handset calling out, or a carrier calling one of
/// the tenant's numbers (issue 11). The call rings, answers or refuses it through these, and only while it rings.
/// </summary>
internal interface ICallerLeg
{
    /// <summary>The Call-ID of the caller's own INVITE.</summary>
    string CallId { get; }

    Guid TenantId { get; }

    /// <summary>The caller's INVITE server transaction, which a CANCEL targets (RFC 3261 §9.2).</summary>
    ServerInviteTransaction? InboundInvite { get; }

    /// <summary>RFC 3261 §13.3.1.1: tell the caller the callee is being alerted.</summary>
    void Ring();

    /// <summary>RFC 3261 §13.3.1.4: the 2xx with our SDP answer confirms the caller's dialog (§12.1.1).</summary>
    void Answer(NegotiationResult media);

    /// <summary>A final failure to the caller's INVITE. The reason phrase is always our own fixed words.</summary>
    void Refuse(int status, string? reason = null);
}
