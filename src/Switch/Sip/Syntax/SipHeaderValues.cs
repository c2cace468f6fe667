namespace HostedPbx.Switch.Sip.Syntax;

/// <summary>
/// Splits a header value into its comma-separated elements (RFC 3261 §7.3.1), e.g. several Via or Contact entries on one line.
/// Commas inside quoted strings and inside &lt;...&gt; are not separators. Elements are LWS-trimmed; empty elements are reported
/// as empty spans so callers can reject them.
/// </summary>
public ref struct SipHeaderValues
{
    private ReadOnlySpan<byte> _remaining;
    private bool _done;

    public SipHeaderValues(ReadOnlySpan<byte> value)
    {
        _remaining = value;
        _done = false;
        Current = default;
    }

    public ReadOnlySpan<byte> Current { get; private set; }

    public readonly SipHeaderValues GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_done)
        {
            return false;
        }

        var inAngle = false;
        for (var i = 0; i < _remaining.Length; i++)
        {
            var c = _remaining[i];
            if (c == '"')
            {
                var end = SipGrammar.FindQuoteEnd(_remaining, i);
                if (end < 0)
                {
                    break;
                }

                i = end;
            }
            else if (c == '<')
            {
                inAngle = true;
            }
            else if (c == '>')
            {
                inAngle = false;
            }
            else if (c == ',' && !inAngle)
            {
                Current = SipGrammar.TrimLws(_remaining[..i]);
                _remaining = _remaining[(i + 1)..];
                return true;
            }
        }

        Current = SipGrammar.TrimLws(_remaining);
        _remaining = default;
        _done = true;
        return true;
    }
}
