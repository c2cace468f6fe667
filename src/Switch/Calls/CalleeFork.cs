using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Registrar;
using HostedPbx.Switch.Sip.Transactions;
using HostedPbx.Switch.Sip.Transport;

namespace HostedPbx.Switch.Calls;

/// <summary>One branch of a parallel fork (RFC 3261 §16.7 style, as a UAC): an INVITE to one binding over its own connection.</summary>
internal sealed class CalleeFork(Call call, Binding binding, SipConnection connection, string callId, string from, string to) : ITransactionUser
{
    public Binding Binding { get; } = binding;

    public SipConnection Connection { get; } = connection;

    public string CallId { get; } = callId;

    /// <summary>Our From (with our tag) and the callee's To (without its tag), as on the INVITE.</summary>
    public string From { get; } = from;

    public string To { get; } = to;

    public ClientInviteTransaction? Transaction { get; set; }

    public string? RemoteTag { get; set; }

    public string? RemoteTarget { get; set; }

    public uint CSeq { get; set; } = 1;

    public bool HasProvisional { get; set; }

    public int? FinalStatus { get; set; }

    public SipRequest? Ack { get; set; }

    public void OnResponse(ISipTransaction transaction, SipResponse response) => call.OnForkResponse(this, response);

    public void OnTimeout(ISipTransaction transaction) => call.OnForkFailed(this, SipStatusCodes.RequestTimeout);

    public void OnTransportError(ISipTransaction transaction) => call.OnForkFailed(this, SipStatusCodes.ServiceUnavailable);

    public void OnTerminated(ISipTransaction transaction) => call.Controller.Transactions.Remove(transaction);
}
