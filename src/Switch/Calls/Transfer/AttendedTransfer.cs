using HostedPbx.Switch.Media.Sdp;

namespace HostedPbx.Switch.Calls.Transfer;

/// <summary>
/// An attended transfer in progress (RFC 3515 REFER with RFC 3891 Replaces; RFC 5589 §7). The transferor talks to the
/// remaining party in the <see cref="Referred"/> call (where the REFER came) and to the target in the
/// <see cref="Replaced"/> call (whose dialog the Replaces names). The switch moves the remaining party's leg into the
/// replaced call, in the transferor's place on its bridge (a re-INVITE gives the remaining party that side's port and a
/// fresh key); the target's leg and side never change. Each call serializes its own use of it; the hand-over of the
/// remaining party's leg happens with both calls' locks held.
/// </summary>
internal sealed class AttendedTransfer(
    Call referred, HandsetLeg transferor, HandsetLeg remaining, uint referSequence, Call replaced, HandsetLeg replacedLeg)
{
    /// <summary>The call the REFER came in: the transferor and the remaining party.</summary>
    public Call Referred { get; } = referred;

    /// <summary>The transferor's leg in <see cref="Referred"/>; it gets the NOTIFYs and, at the end, BYE.</summary>
    public HandsetLeg Transferor { get; } = transferor;

    /// <summary>The party that moves: the other side of <see cref="Referred"/>.</summary>
    public HandsetLeg Remaining { get; } = remaining;

    /// <summary>The REFER's CSeq number: the id of the implicit subscription's Event header (RFC 3515 §2.4.6).</summary>
    public uint ReferSequence { get; } = referSequence;

    /// <summary>The call whose dialog the Replaces names: the transferor and the target.</summary>
    public Call Replaced { get; } = replaced;

    /// <summary>The transferor's leg in <see cref="Replaced"/>: the dialog the Replaces names, ended with BYE once replaced.</summary>
    public HandsetLeg ReplacedLeg { get; } = replacedLeg;

    /// <summary>The switch's side of the replaced call's bridge towards the remaining party: that side's ports, the remaining party's SDP origin.</summary>
    public LocalMediaOptions? Local { get; set; }

    /// <summary>The re-INVITE's offer to the remaining party, with a key of its own (RFC 4568 §7.1.1).</summary>
    public SdesOffer? Offer { get; set; }

    /// <summary>True once a 491 was answered to the switch's re-INVITE: the second one is the last (RFC 3261 §14.1).</summary>
    public bool Retried { get; set; }

    /// <summary>True once the transferor has hung up its leg in <see cref="Referred"/>; the transfer goes on without it.</summary>
    public bool TransferorGone { get; set; }

    /// <summary>True once the transferor has hung up its leg in <see cref="Replaced"/>.</summary>
    public bool ReplacedLegGone { get; set; }

    /// <summary>RFC 3515 §2.4.5: progress as a sipfrag status line; nothing once the transferor has gone.</summary>
    public void Notify(int status, string reason, bool final)
    {
        if (!TransferorGone)
        {
            Transferor.Notify(ReferSequence, $"SIP/2.0 {status} {reason}", final);
        }
    }
}
