using HostedPbx.Switch.Media.Sdp;

namespace HostedPbx.Switch.Tests.Calls.Support;

/// <summary>What a test phone remembers of one dialog: identifiers as it writes them in From and To, and its CSeq.</summary>
internal sealed class PhoneDialog(string callId, string local, string remote, string remoteTarget, SdesOffer? offer)
{
    public string CallId { get; } = callId;

    /// <summary>Our From value, with our tag.</summary>
    public string Local { get; } = local;

    /// <summary>Our To value; gains the switch's tag once it answers.</summary>
    public string Remote { get; set; } = remote;

    public string RemoteTarget { get; } = remoteTarget;

    public SdesOffer? Offer { get; } = offer;

    public string? LocalTag { get; init; }

    public string? InviteBranch { get; set; }

    public int CSeq { get; set; } = 1;
}
