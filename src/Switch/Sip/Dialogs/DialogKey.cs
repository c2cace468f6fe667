using HostedPbx.Switch.Sip.Messages;

namespace HostedPbx.Switch.Sip.Dialogs;

/// <summary>Identifies a dialog (RFC 3261 §12): Call-ID, local tag and remote tag, seen from our side.</summary>
public readonly record struct DialogKey(string CallId, string LocalTag, string RemoteTag)
{
    /// <summary>For a request we received: our tag is in To, the peer's in From (§12.2.2).</summary>
    public static DialogKey ForIncomingRequest(SipRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new DialogKey(request.CallId, request.ToTag, request.FromTag);
    }

    /// <summary>For a response to a request we sent: our tag is in From, the peer's in To (§12.1.2).</summary>
    public static DialogKey ForIncomingResponse(SipResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return new DialogKey(response.CallId, response.FromTag, response.ToTag);
    }
}
