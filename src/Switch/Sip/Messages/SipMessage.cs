using System.Buffers;
using System.Text;
using HostedPbx.Switch.Sip.Syntax;

namespace HostedPbx.Switch.Sip.Messages;

/// <summary>
/// A parsed or built SIP message. It owns one pooled buffer holding the start line, header names and values and the body,
/// plus a pooled index of its headers. Header values are views (spans) into the buffer; strings are made only for keys.
/// Dispose returns the buffers to the pool; spans taken earlier must not be used afterwards.
/// </summary>
public abstract class SipMessage : IDisposable
{
    private byte[] _buffer;
    private HeaderEntry[] _headers;
    private readonly int _headerCount;
    private readonly Range _body;
    private string? _callId;
    private string? _fromTag;
    private string? _toTag;

    private protected SipMessage(byte[] buffer, HeaderEntry[] headers, int headerCount, Range body)
    {
        _buffer = buffer;
        _headers = headers;
        _headerCount = headerCount;
        _body = body;
    }

    public int HeaderCount => _headerCount;

    public ReadOnlySpan<byte> Body => Slice(_body);

    public HeaderEntry GetHeaderEntry(int index) => _headers.AsSpan(0, _headerCount)[index];

    public ReadOnlySpan<byte> GetHeaderName(int index) => Slice(GetHeaderEntry(index).Name);

    public ReadOnlySpan<byte> GetHeaderValue(int index) => Slice(GetHeaderEntry(index).Value);

    /// <summary>The value of the first header with this id.</summary>
    public bool TryGetHeader(KnownHeader header, out ReadOnlySpan<byte> value)
    {
        foreach (var entry in _headers.AsSpan(0, _headerCount))
        {
            if (entry.Id == header && header != KnownHeader.Unknown)
            {
                value = Slice(entry.Value);
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>The value of the first header with this name (any case), for headers the switch does not know.</summary>
    public bool TryGetHeader(ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        var id = KnownHeaders.Lookup(name);
        if (id != KnownHeader.Unknown)
        {
            return TryGetHeader(id, out value);
        }

        foreach (var entry in _headers.AsSpan(0, _headerCount))
        {
            if (entry.Id == KnownHeader.Unknown && SipGrammar.EqualsIgnoreCase(Slice(entry.Name), name))
            {
                value = Slice(entry.Value);
                return true;
            }
        }

        value = default;
        return false;
    }

    public int CountHeaders(KnownHeader header)
    {
        var count = 0;
        foreach (var entry in _headers.AsSpan(0, _headerCount))
        {
            count += entry.Id == header ? 1 : 0;
        }

        return count;
    }

    /// <summary>Every comma-separated element of every header with this id, in order (e.g. all Via entries).</summary>
    public HeaderElementEnumerator GetHeaderElements(KnownHeader header) => new(this, header);

    public bool TryGetTopVia(out ViaHeader via)
    {
        foreach (var element in GetHeaderElements(KnownHeader.Via))
        {
            return ViaHeader.TryParse(element, out via);
        }

        via = default;
        return false;
    }

    public bool TryGetCSeq(out CSeqHeader cseq)
    {
        cseq = default;
        return TryGetHeader(KnownHeader.CSeq, out var value) && CSeqHeader.TryParse(value, out cseq);
    }

    public bool TryGetFrom(out NameAddress from)
    {
        from = default;
        return TryGetHeader(KnownHeader.From, out var value) && NameAddress.TryParse(value, out from);
    }

    public bool TryGetTo(out NameAddress to)
    {
        to = default;
        return TryGetHeader(KnownHeader.To, out var value) && NameAddress.TryParse(value, out to);
    }

    /// <summary>Max-Forwards (RFC 3261 §20.22); false when absent, as from RFC 2543 clients (a proxy then uses 70, §16.6).</summary>
    public bool TryGetMaxForwards(out int maxForwards)
    {
        maxForwards = 0;
        if (!TryGetHeader(KnownHeader.MaxForwards, out var value) || !SipGrammar.TryParseDigits(value, 255, out var parsed))
        {
            return false;
        }

        maxForwards = (int)parsed;
        return true;
    }

    /// <summary>The Call-ID as a string, created once (it is a dictionary key for dialogs and calls).</summary>
    public string CallId => _callId ??= TryGetHeader(KnownHeader.CallId, out var value) ? Encoding.UTF8.GetString(value) : string.Empty;

    /// <summary>The From tag as a string (created once), or empty.</summary>
    public string FromTag => _fromTag ??= TryGetFrom(out var from) ? Encoding.UTF8.GetString(from.Tag) : string.Empty;

    /// <summary>The To tag as a string (created once), or empty.</summary>
    public string ToTag => _toTag ??= TryGetTo(out var to) ? Encoding.UTF8.GetString(to.Tag) : string.Empty;

    /// <summary>True when the headers a response must copy are present (RFC 3261 §8.2.6.2), so a 400 can be sent.</summary>
    public bool CanBeAnswered =>
        CountHeaders(KnownHeader.Via) > 0 && TryGetHeader(KnownHeader.From, out _) && TryGetHeader(KnownHeader.To, out _)
        && TryGetHeader(KnownHeader.CallId, out _) && TryGetHeader(KnownHeader.CSeq, out _);

    internal ReadOnlySpan<byte> Slice(Range range) => _buffer.AsSpan()[range];

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        var headers = Interlocked.Exchange(ref _headers, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (headers.Length > 0)
        {
            ArrayPool<HeaderEntry>.Shared.Return(headers);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Enumerates the comma-separated elements of all headers with one id without allocating.</summary>
    public ref struct HeaderElementEnumerator
    {
        private readonly SipMessage _message;
        private readonly KnownHeader _header;
        private int _index;
        private SipHeaderValues _values;
        private bool _inHeader;

        internal HeaderElementEnumerator(SipMessage message, KnownHeader header)
        {
            _message = message;
            _header = header;
            _index = -1;
            _values = default;
            _inHeader = false;
            Current = default;
        }

        public ReadOnlySpan<byte> Current { get; private set; }

        public readonly HeaderElementEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            while (true)
            {
                if (_inHeader && _values.MoveNext())
                {
                    Current = _values.Current;
                    return true;
                }

                _inHeader = false;
                while (++_index < _message._headerCount)
                {
                    var entry = _message._headers[_index];
                    if (entry.Id == _header)
                    {
                        _values = new SipHeaderValues(_message.Slice(entry.Value));
                        _inHeader = true;
                        break;
                    }
                }

                if (!_inHeader)
                {
                    return false;
                }
            }
        }
    }
}
