using HostedPbx.Switch.Sip.Messages;

namespace HostedPbx.Switch.Sip.Transactions;

/// <summary>Where a transaction sends its messages: the flow (connection or UDP peer) it belongs to.</summary>
public interface ISipSender
{
    /// <summary>TCP/TLS: true, so retransmit timers are not started and wait timers are zero (RFC 3261 §17).</summary>
    bool IsReliable { get; }

    void Send(SipMessage message);
}
