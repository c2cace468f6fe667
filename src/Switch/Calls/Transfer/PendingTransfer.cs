using HostedPbx.Switch.Media.Sdp;

namespace HostedPbx.Switch.Calls.Transfer;

/// <summary>
/// A blind transfer in progress (RFC 3515; RFC 5589 §6): the transferor's REFER was accepted and the target's handsets
/// are being offered the transferor's side of the bridge, with fresh keys of its own. The remaining party stays on its
/// leg and its side of the bridge throughout. Belongs to its <see cref="Call"/>, which serializes every use.
/// </summary>
internal sealed class PendingTransfer
{
    public PendingTransfer(HandsetLeg transferor, bool transferorIsCaller, uint referSequence, LocalMediaOptions local, SdesOffer offer, List<CallLeg> forks)
    {
        Transferor = transferor;
        TransferorIsCaller = transferorIsCaller;
        ReferSequence = referSequence;
        Local = local;
        Offer = offer;
        Forks = forks;
    }

    public HandsetLeg Transferor { get; }

    /// <summary>True when the transferor is the call's caller (side A of the bridge), false when it is the callee (side B).</summary>
    public bool TransferorIsCaller { get; }

    /// <summary>The REFER's CSeq number: the id of the implicit subscription's Event header (RFC 3515 §2.4.6).</summary>
    public uint ReferSequence { get; }

    /// <summary>The switch's side of the bridge towards the target: same ports, a new session version.</summary>
    public LocalMediaOptions Local { get; }

    /// <summary>The offer to the target's handsets, with a key of its own (RFC 4568 §7.1.1).</summary>
    public SdesOffer Offer { get; }

    /// <summary>The forks towards the target's handsets.</summary>
    public List<CallLeg> Forks { get; }

    /// <summary>The forks whose failure the call has decided.</summary>
    public HashSet<CallLeg> Settled { get; } = [];

    /// <summary>True once the transferor has hung up (RFC 5589 §6 allows it as soon as the REFER is accepted).</summary>
    public bool TransferorGone { get; set; }

    public bool TargetRinging { get; set; }

    /// <summary>RFC 3515 §2.4.5: progress as a sipfrag status line; nothing once the transferor has gone.</summary>
    public void Notify(int status, string reason, bool final)
    {
        if (!TransferorGone)
        {
            Transferor.Notify(ReferSequence, $"SIP/2.0 {status} {reason}", final);
        }
    }
}
