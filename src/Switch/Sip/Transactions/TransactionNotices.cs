using HostedPbx.Switch.Sip.Messages;

namespace HostedPbx.Switch.Sip.Transactions;

/// <summary>
/// What one step of a state machine has to tell its transaction user. Collected under the transaction's lock and delivered
/// after it is released, so a TU may call into other transactions (a B2BUA bridges two) without lock-order deadlocks.
/// </summary>
internal struct TransactionNotices
{
    public SipResponse? Response;
    public bool Timeout;
    public bool TransportError;
    public bool Terminated;

    public readonly void Deliver(ISipTransaction transaction, ITransactionUser user)
    {
        if (Response is not null)
        {
            user.OnResponse(transaction, Response);
        }

        if (Timeout)
        {
            user.OnTimeout(transaction);
        }

        if (TransportError)
        {
            user.OnTransportError(transaction);
        }

        if (Terminated)
        {
            user.OnTerminated(transaction);
        }
    }
}
