using System.Threading.Channels;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Transport;

namespace HostedPbx.Switch.Tests.Transport;

internal sealed class RecordingConnectionHandler : ISipConnectionHandler
{
    private readonly Channel<SipMessage> _messages = Channel.CreateUnbounded<SipMessage>();
    private readonly TaskCompletionSource<SipConnection> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<SipConnection> Closed => _closed.Task;

    public void OnMessage(SipConnection connection, SipMessage message) => _messages.Writer.TryWrite(message);

    public void OnClosed(SipConnection connection) => _closed.TrySetResult(connection);

    public ValueTask<SipMessage> NextAsync(CancellationToken cancellationToken) => _messages.Reader.ReadAsync(cancellationToken);

    /// <summary>How many messages have reached the handler and not been taken yet.</summary>
    public int Waiting => _messages.Reader.Count;
}
