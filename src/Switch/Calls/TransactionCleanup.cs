using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Transactions;

namespace HostedPbx.Switch.Calls;

/// <summary>The user of transactions whose outcome nobody waits for: it only drops them from the table when they end.</summary>
internal sealed class TransactionCleanup(TransactionTable table) : ITransactionUser
{
    public void OnResponse(ISipTransaction transaction, SipResponse response)
    {
    }

    public void OnTimeout(ISipTransaction transaction)
    {
    }

    public void OnTransportError(ISipTransaction transaction)
    {
    }

    public void OnTerminated(ISipTransaction transaction) => table.Remove(transaction);
}
