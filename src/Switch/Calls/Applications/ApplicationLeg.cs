using HostedPbx.Switch.Media.Sdp;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Transport;

namespace HostedPbx.Switch.Calls.Applications;

/// <summary>
/// A leg whose far end is a user agent inside the switch (an announcement, a mailbox, voicemail retrieval): it has no
/// SIP dialog of its own, so no connection may act on it and there is nothing to answer in it; it answers the call's
/// offer itself (<see cref="Answer"/>), and cancelling, hanging up and forgetting it all mean the same thing: stop.
/// </summary>
internal abstract class ApplicationLeg(string party) : CallLeg(party)
{
    private bool _answered;

    public sealed override LegKind Kind => LegKind.Application;

    public sealed override bool HasFinalAnswer => _answered;

    /// <summary>No SIP reaches an application: no connection may act on it.</summary>
    public sealed override bool Admits(SipConnection connection) => false;

    public sealed override bool UsesConnection(long connectionId) => false;

    public sealed override void Cancel() => Stop();

    public sealed override void Hangup() => Stop();

    public sealed override void Forget() => Stop();

    /// <summary>Nothing to answer: an application leg has no dialog for a request to arrive in.</summary>
    public sealed override void Reply(SipRequest request, int status, string? reason = null)
    {
    }

    /// <summary>Nothing to answer: the switch never re-INVITEs an application, and it never re-INVITEs the switch.</summary>
    public sealed override void AnswerReInvite(SipRequest invite, int status, string? reason, SessionDescription? answer)
    {
    }

    /// <summary>Lets go of the leg's media and work; called once or more (each call after the first does nothing).</summary>
    protected abstract void Stop();

    /// <summary>The application takes the call: its media is the caller's offer answered on its own port.</summary>
    protected void Answer(NegotiationResult media)
    {
        _answered = true;
        Media = media;
    }
}
