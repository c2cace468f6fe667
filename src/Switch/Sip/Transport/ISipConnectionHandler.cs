using HostedPbx.Switch.Sip.Messages;

namespace HostedPbx.Switch.Sip.Transport;

/// <summary>What a connection reports upward: each framed message, and its end.</summary>
internal interface ISipConnectionHandler
{
    void OnMessage(SipConnection connection, SipMessage message);

    void OnClosed(SipConnection connection);
}
