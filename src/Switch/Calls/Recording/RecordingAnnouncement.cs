using HostedPbx.Switch.Calls.Applications;
using HostedPbx.Switch.Calls.Voicemail;
using HostedPbx.Switch.Media.Relay;
using HostedPbx.Switch.Media.Sdp;

namespace HostedPbx.Switch.Calls.Recording;

/// <summary>
/// "This call may be recorded", played to both parties before they are bridged (issue 10 item 1): one player on each
/// side of the bridge, before the relay owns its sockets, each sending SRTP to its party with that leg's keys (its own
/// SSRC, so no keystream is used twice) and reading what the party sends (symmetric RTP, RFC 4961). Both parties hear
/// it at once; the bridge starts when both have heard all of it, or the call ended first.
/// </summary>
internal sealed class RecordingAnnouncement : IDisposable
{
    private readonly ApplicationMedia _caller;
    private readonly ApplicationMedia _callee;

    public RecordingAnnouncement(RelaySession bridge, NegotiatedMedia callerMedia, NegotiatedMedia calleeMedia, TimeProvider time)
    {
        _caller = new ApplicationMedia(bridge.SideA, ownsSocket: false, callerMedia, time, static _ => { });
        _callee = new ApplicationMedia(bridge.SideB, ownsSocket: false, calleeMedia, time, static _ => { });
    }

    /// <summary>Plays <paramref name="prompt"/> to both parties; completes once both have been sent all of it (or it was stopped).</summary>
    public async Task PlayAsync(Prompt prompt)
    {
        _caller.Start();
        _callee.Start();
        await Task.WhenAll(_caller.PlayAsync(prompt.Samples), _callee.PlayAsync(prompt.Samples));
        Dispose();
    }

    /// <summary>Stops both players and lets go of the bridge's sockets (the relay takes them next, or they close with the call).</summary>
    public void Dispose()
    {
        _caller.Dispose();
        _callee.Dispose();
    }
}
