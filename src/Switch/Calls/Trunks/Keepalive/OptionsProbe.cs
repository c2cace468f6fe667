using System.Text;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Transactions;
using HostedPbx.Switch.Sip.Transport;
using HostedPbx.Switch.Sip.Transport.Peers;

namespace HostedPbx.Switch.Calls.Trunks.Keepalive;

/// <summary>
/// One OPTIONS to a carrier (RFC 3261 §11) in its own non-INVITE client transaction, over the connection calls use (a
/// TLS connection, or a plain trunk's UDP flow). Its deadline is armed before the request is sent, so an answer that
/// never comes is a miss at a known time.
/// </summary>
internal sealed class OptionsProbe : ITransactionUser
{
    private readonly TaskCompletionSource<ProbeOutcome> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TransactionTable _transactions;

    private OptionsProbe(TransactionTable transactions) => _transactions = transactions;

    public static async Task<ProbeOutcome> SendAsync(
        SipConnection connection, PeerTarget target, KeepaliveSignalling sip, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(sip);
        ArgumentNullException.ThrowIfNull(connection);
        var probe = new OptionsProbe(sip.Transactions);
        // Issue 11: a plain trunk's flow is UDP from the plain-trunk socket or TCP to its listener, whose address goes in Via
        // and Contact (RFC 3261 §18.1.1); over UDP its transaction runs Timer E retransmissions under Timer F (§17.1.2.2).
        var transport = SipRequests.UriTransport(connection.Transport);
        var sentBy = connection.LocalSentBy ?? sip.SentBy;
        // RFC 3261 §11.1: addressed like an INVITE would be (the trunk's own name, not the server DNS located); Accept
        // says what we would take in an answer's body.
        var request = SipRequests.Create(
            "OPTIONS", $"sip:{target.Host}:{target.Port};transport={transport}", sentBy, $"<sip:switch@{sentBy}>;tag={SipRequests.NewTag()}",
            $"<sip:{target.Host}>", SipRequests.NewCallId(sentBy.Split(':')[0]), 1, $"<sip:switch@{sentBy};transport={transport}>",
            named: [("Accept", "application/sdp")], transport: connection.Transport);
        using var deadline = new CancellationTokenSource(timeout, time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var transaction = new ClientNonInviteTransaction(request, connection, probe, sip.Scheduler, sip.Timers);
        sip.Transactions.TryAddClient(transaction);
        transaction.Start();
        try
        {
            return await probe._done.Task.WaitAsync(stop.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new ProbeOutcome(false, $"no answer to OPTIONS within {timeout.TotalSeconds:0} s");
        }
    }

    void ITransactionUser.OnResponse(ISipTransaction transaction, SipResponse response)
    {
        if (!response.IsProvisional)
        {
            _done.TrySetResult(ProbeOutcome.Of(response.StatusCode, Encoding.UTF8.GetString(response.ReasonPhrase)));
        }
    }

    // RFC 3261 §17.1.2.2: Timer F, no final response within 64*T1.
    void ITransactionUser.OnTimeout(ISipTransaction transaction) => _done.TrySetResult(new ProbeOutcome(false, "no answer to OPTIONS (Timer F)"));

    void ITransactionUser.OnTransportError(ISipTransaction transaction) => _done.TrySetResult(new ProbeOutcome(false, "the connection failed while sending OPTIONS"));

    void ITransactionUser.OnTerminated(ISipTransaction transaction) => _transactions.Remove(transaction);
}
