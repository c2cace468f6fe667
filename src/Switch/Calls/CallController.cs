using System.Collections.Concurrent;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Media.Relay;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Registrar;
using HostedPbx.Switch.Sip.Transactions;
using HostedPbx.Switch.Sip.Transport;

namespace HostedPbx.Switch.Calls;

/// <summary>
/// The B2BUA between extensions of one tenant: routes INVITEs, and hands in-dialog requests (ACK, BYE, CANCEL,
/// re-INVITE) and stray 2xx retransmissions to their <see cref="Call"/>, found by Call-ID on either side.
/// </summary>
internal sealed partial class CallController(
    TransactionTable transactions,
    SipTimerScheduler scheduler,
    SipTimers timers,
    ConnectionTable connections,
    BindingTable bindings,
    MediaRelay relay,
    CallRecordStore records,
    SwitchAudit audit,
    TimeProvider time,
    CallLimits limits,
    ILogger logger)
{
    private readonly ConcurrentDictionary<string, Call> _calls = new(StringComparer.Ordinal);

    public TransactionTable Transactions => transactions;

    public SipTimerScheduler Scheduler => scheduler;

    public SipTimers Timers => timers;

    public CallRecordStore Records => records;

    public TimeProvider Time => time;

    public CallLimits Limits => limits;

    public ILogger Logger => logger;

    public int ActiveCalls => _calls.Values.Distinct().Count();

    public void Track(string callId, Call call) => _calls[callId] = call;

    public void Forget(Call call)
    {
        _calls.TryRemove(new KeyValuePair<string, Call>(call.CallerCallId, call));
        foreach (var fork in call.Forks)
        {
            _calls.TryRemove(new KeyValuePair<string, Call>(fork.CallId, call));
        }
    }

    public void OnBye(SipConnection connection, SipRequest bye)
    {
        if (!_calls.TryGetValue(bye.CallId, out var call))
        {
            Reply(connection, bye, SipStatusCodes.CallOrTransactionDoesNotExist);
            return;
        }

        call.OnBye(connection, bye, fromCaller: bye.CallId == call.CallerCallId);
    }

    public void OnCancel(SipConnection connection, SipRequest cancel)
    {
        if (!_calls.TryGetValue(cancel.CallId, out var call) || call.CallerCallId != cancel.CallId)
        {
            Reply(connection, cancel, SipStatusCodes.CallOrTransactionDoesNotExist);
            return;
        }

        call.OnCancel(connection, cancel);
    }

    /// <summary>A 2xx retransmitted after its INVITE transaction ended: ACK it again (RFC 3261 §13.2.2.4).</summary>
    public void OnStrayResponse(SipConnection connection, SipResponse response)
    {
        if (response.IsSuccess && _calls.TryGetValue(response.CallId, out var call)
            && call.Answered is { } fork && fork.CallId == response.CallId && fork.Ack is not null)
        {
            call.SendAck(fork);
        }
    }

    public void OnConnectionClosed(long connectionId)
    {
        foreach (var call in _calls.Values.Distinct().ToList())
        {
            call.OnConnectionClosed(connectionId);
        }
    }

    private void Reply(SipConnection connection, SipRequest request, int status, string? reason = null)
    {
        var transaction = new ServerNonInviteTransaction(request, connection, new TransactionCleanup(transactions), scheduler, timers);
        transactions.TryAddServer(transaction);
        transaction.SendResponse(SipResponses.Create(request, status, SipRequests.NewTag(), reason: reason));
    }
}
