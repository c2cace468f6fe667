using HostedPbx.Switch.Sip.Messages;

namespace HostedPbx.Switch.Sip.Transactions;

/// <summary>
/// The transaction user (RFC 3261 §17): the layer above that owns dialogs and calls. Called after the transaction has
/// released its lock, so the TU may call into this or other transactions.
/// </summary>
public interface ITransactionUser
{
    /// <summary>A provisional or final response passed up by a client transaction (retransmissions are absorbed).</summary>
    void OnResponse(ISipTransaction transaction, SipResponse response);

    /// <summary>Timer B, F or H fired: no final response, or no ACK, arrived in time.</summary>
    void OnTimeout(ISipTransaction transaction);

    void OnTransportError(ISipTransaction transaction);

    /// <summary>The transaction reached Terminated; remove it from the <see cref="TransactionTable"/>.</summary>
    void OnTerminated(ISipTransaction transaction);
}
