using HostedPbx.Switch.Sip.Messages;

namespace HostedPbx.Switch.Sip.Transactions;

/// <summary>What the four RFC 3261 §17 state machines share, so a table and a transaction user can hold any of them.</summary>
public interface ISipTransaction : ISipTimerTarget
{
    TransactionKey Key { get; }

    bool IsTerminated { get; }

    /// <summary>A message matched to this transaction: a response (client) or a retransmitted request or ACK (server).</summary>
    void OnReceive(SipMessage message);

    /// <summary>The transport could not send (RFC 3261 §17.1.4, §17.2.4): the transaction terminates and tells its user.</summary>
    void OnTransportError();
}
