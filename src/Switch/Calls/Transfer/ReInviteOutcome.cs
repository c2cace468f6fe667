using HostedPbx.Switch.Media.Sdp;

namespace HostedPbx.Switch.Calls.Transfer;

/// <summary>A leg's final answer to the switch's own re-INVITE: the offer it answered, and the media agreed when 2xx.</summary>
internal sealed record ReInviteOutcome(SdesOffer Offer, NegotiationResult? Media);
