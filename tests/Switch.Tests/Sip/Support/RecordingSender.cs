using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Transactions;

namespace HostedPbx.Switch.Tests.Sip.Support;

/// <summary>An <see cref="ISipSender"/> that keeps what was sent instead of touching a socket.</summary>
internal sealed class RecordingSender(bool isReliable) : ISipSender
{
    public bool IsReliable { get; } = isReliable;

    public List<SipMessage> Sent { get; } = [];

    public void Send(SipMessage message) => Sent.Add(message);

    public int CountRequests(string method) => Sent.OfType<SipRequest>().Count(r => r.MethodName == method);

    public int CountResponses(int statusCode) => Sent.OfType<SipResponse>().Count(r => r.StatusCode == statusCode);
}
