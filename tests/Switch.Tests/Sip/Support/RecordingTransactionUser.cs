using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Transactions;

namespace HostedPbx.Switch.Tests.Sip.Support;

internal sealed class RecordingTransactionUser : ITransactionUser
{
    public List<SipResponse> Responses { get; } = [];

    public int Timeouts { get; private set; }

    public int TransportErrors { get; private set; }

    public int Terminations { get; private set; }

    /// <summary>Runs inside OnResponse, to check what a TU sees and that it may call back in.</summary>
    public Action<ISipTransaction, SipResponse>? ResponseHook { get; set; }

    public void OnResponse(ISipTransaction transaction, SipResponse response)
    {
        Responses.Add(response);
        ResponseHook?.Invoke(transaction, response);
    }

    public void OnTimeout(ISipTransaction transaction) => Timeouts++;

    public void OnTransportError(ISipTransaction transaction) => TransportErrors++;

    public void OnTerminated(ISipTransaction transaction) => Terminations++;
}
