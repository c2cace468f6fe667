using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;

namespace HostedPbx.Switch.Sip.Transactions;

/// <summary>
/// Finds the transaction an incoming message belongs to (RFC 3261 §17.1.3, §17.2.3). Thread-safe.
/// A request that matches nothing is new (create a server transaction); a response that matches nothing goes to the
/// transaction user as a stray (e.g. a retransmitted 2xx after the INVITE client transaction ended, §17.1.1.2).
/// </summary>
public sealed class TransactionTable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<TransactionKey, ISipTransaction> _server = [];
    private readonly Dictionary<TransactionKey, ISipTransaction> _client = [];

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _server.Count + _client.Count;
            }
        }
    }

    /// <summary>Adds a server transaction; false if one with the same key exists (a race on a retransmission).</summary>
    public bool TryAddServer(ISipTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        lock (_gate)
        {
            return _server.TryAdd(transaction.Key, transaction);
        }
    }

    public bool TryAddClient(ISipTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        lock (_gate)
        {
            return _client.TryAdd(transaction.Key, transaction);
        }
    }

    public void Remove(ISipTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        lock (_gate)
        {
            if (_server.TryGetValue(transaction.Key, out var server) && ReferenceEquals(server, transaction))
            {
                _server.Remove(transaction.Key);
            }

            if (_client.TryGetValue(transaction.Key, out var client) && ReferenceEquals(client, transaction))
            {
                _client.Remove(transaction.Key);
            }
        }
    }

    public bool TryFindServer(SipRequest request, out ISipTransaction? transaction)
    {
        transaction = null;
        if (!TransactionKey.TryCreateServerKey(request, out var key))
        {
            return false;
        }

        lock (_gate)
        {
            return _server.TryGetValue(key, out transaction);
        }
    }

    public bool TryFindClient(SipResponse response, out ISipTransaction? transaction)
    {
        transaction = null;
        if (!TransactionKey.TryCreateClientKey(response, out var key))
        {
            return false;
        }

        lock (_gate)
        {
            return _client.TryGetValue(key, out transaction);
        }
    }

    /// <summary>The INVITE server transaction a CANCEL targets (RFC 3261 §9.2), if it is still there.</summary>
    public bool TryFindCancelledInvite(SipRequest cancel, out ServerInviteTransaction? invite)
    {
        ArgumentNullException.ThrowIfNull(cancel);
        invite = null;
        if (cancel.Method != SipMethod.Cancel || !TransactionKey.TryCreateServerKey(cancel, out var key))
        {
            return false;
        }

        lock (_gate)
        {
            if (_server.TryGetValue(key.ForCancelledInvite(), out var transaction) && transaction is ServerInviteTransaction found)
            {
                invite = found;
                return true;
            }
        }

        return false;
    }

    /// <summary>Hands a message to its transaction; false when no transaction matched.</summary>
    public bool TryDispatch(SipMessage message)
    {
        ISipTransaction? transaction = null;
        var found = message switch
        {
            SipRequest request => TryFindServer(request, out transaction),
            SipResponse response => TryFindClient(response, out transaction),
            _ => false,
        };

        if (!found)
        {
            return false;
        }

        transaction!.OnReceive(message);
        return true;
    }
}
