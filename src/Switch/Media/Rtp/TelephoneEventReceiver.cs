namespace HostedPbx.Switch.Media.Rtp;

/// <summary>
/// Turns the stream of RFC 4733 packets of one leg into digits, each reported once. All packets of one event carry
/// the same RTP timestamp (RFC 4733 §2.5.1.1), its start may be lost and its end is sent three times (§2.5.1.4), so an
/// event is new when its timestamp (or code) differs from the last one reported.
/// </summary>
public sealed class TelephoneEventReceiver
{
    private uint _lastTimestamp;
    private byte _lastCode;
    private bool _any;

    /// <summary>The digit of a new event, or null for a repeat, an end retransmission or an event that is not a digit.</summary>
    public char? Receive(uint timestamp, ReadOnlySpan<byte> payload)
    {
        if (!TelephoneEvent.TryRead(payload, out var received))
        {
            return null;
        }

        if (_any && timestamp == _lastTimestamp && received.Code == _lastCode)
        {
            return null;
        }

        _any = true;
        _lastTimestamp = timestamp;
        _lastCode = received.Code;
        return received.Digit;
    }
}
