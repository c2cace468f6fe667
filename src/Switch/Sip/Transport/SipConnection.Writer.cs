using System.Buffers;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;

namespace HostedPbx.Switch.Sip.Transport;

internal sealed partial class SipConnection
{
    public void Send(SipMessage message)
    {
        var output = new ArrayBufferWriter<byte>(1024);
        SipMessageWriter.Write(output, message);
        SendRaw(output.WrittenSpan.ToArray());
    }

    private void SendRaw(byte[] bytes)
    {
        if (!_writes.Writer.TryWrite(bytes))
        {
            if (IsClosed)
            {
                // Closing: nothing more is sent, and nothing is wrong.
                return;
            }


            // A peer that does not read its own responses gets dropped rather than buffered without bound.
            SwitchLog.WriteQueueFull(_logger, Id);
            Close();
        }
    }

    private async Task WriteLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var bytes in _writes.Reader.ReadAllAsync(cancellationToken))
            {
                await _stream.WriteAsync(bytes, cancellationToken);
                if (_writes.Reader.Count == 0)
                {
                    await _stream.FlushAsync(cancellationToken);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            Close();
        }
    }
}
