using HostedPbx.Data.Entities;
using HostedPbx.Switch.Media.Sdp;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Transport;

namespace HostedPbx.Switch.Calls;

/// <summary>
/// One side of a call. A leg owns its dialog (RFC 3261 §12), its transactions and its media endpoint, and tells its
/// <see cref="Call"/> what happened; the call decides and tells the leg what to do. The leg of a callee is offered the
/// call (<see cref="Invite"/>) and either answers or fails; several of them ring in parallel until one answers.
/// </summary>
internal abstract class CallLeg(string party)
{
    public abstract LegKind Kind { get; }

    /// <summary>The extension (or, later, number or mailbox) this leg speaks for.</summary>
    public string Party { get; } = party;

    /// <summary>Set once, when the leg joins its call.</summary>
    public Call? Call { get; set; }

    /// <summary>The media agreed with this leg's peer, once its offer/answer is done.</summary>
    public NegotiationResult? Media { get; protected set; }

    /// <summary>True once the leg has a final answer (2xx or failure) to the call's offer to it.</summary>
    public abstract bool HasFinalAnswer { get; }

    /// <summary>True while a request from <paramref name="connection"/> may act on this leg's dialog (DESIGN "The call model").</summary>
    public abstract bool Admits(SipConnection connection);

    /// <summary>True when <paramref name="connectionId"/> carries this leg's signalling.</summary>
    public abstract bool UsesConnection(long connectionId);

    /// <summary>Offers the call to this leg's peer (a callee); an application answers without an offer of its own.</summary>
    public abstract void Invite(SdesOffer? offer);

    /// <summary>The caller has been answered and the call is up: a leg that plays or listens starts now.</summary>
    public virtual void OnConnected()
    {
    }

    /// <summary>
    /// RFC 3264 §6: the switch's answer to this leg's peer's offer, on <paramref name="local"/>. SDES-keyed SRTP on every
    /// leg; only a trunk the operator allowed plain may have plain RTP (issue 11, <c>TrunkLeg</c>).
    /// </summary>
    public virtual NegotiationResult AnswerOffer(SessionDescription offer, LocalMediaOptions local) => SdesOfferAnswer.Answer(offer, local);

    /// <summary>Withdraws a pending offer (RFC 3261 §9.1); the leg leaves the dialog table at once.</summary>
    public abstract void Cancel();

    /// <summary>Ends a confirmed dialog with BYE (RFC 3261 §15.1.1), and leaves the tables.</summary>
    public abstract void Hangup();

    /// <summary>Answers a request in this leg's dialog that needs no more than a status.</summary>
    public abstract void Reply(SipRequest request, int status, string? reason = null);

    /// <summary>Answers a re-INVITE with <paramref name="status"/>, and with the SDP answer when there is one.</summary>
    public abstract void AnswerReInvite(SipRequest invite, int status, string? reason, SessionDescription? answer);

    /// <summary>Leaves the dialog and transaction-user tables; called once the call has ended.</summary>
    public abstract void Forget();

    /// <summary>The facts the security statement is made from (DESIGN "Security statement per call type").</summary>
    public abstract CallLegRecord? Describe(CallRecord record, int position);
}
