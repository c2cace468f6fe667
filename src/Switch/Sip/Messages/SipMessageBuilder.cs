using System.Buffers;
using HostedPbx.Switch.Sip.Syntax;

namespace HostedPbx.Switch.Sip.Messages;

/// <summary>
/// Builds a <see cref="SipMessage"/>: as the <see cref="ISipMessageHandler"/> of <see cref="SipParser"/>, or directly
/// by our own code (responses, ACKs). Copies everything into one pooled buffer; folded lines become spaces (RFC 3261 §7.3.1).
/// Not thread-safe; reuse one per connection.
/// </summary>
public sealed class SipMessageBuilder : ISipMessageHandler
{
    private const int MinimumBuffer = 512;

    private byte[] _buffer = [];
    private int _length;
    private HeaderEntry[] _headers = [];
    private int _headerCount;
    private bool _isRequest;
    private bool _hasStartLine;
    private Range _method;
    private Range _requestUri;
    private int _statusCode;
    private Range _reasonPhrase;
    private Range _body;

    /// <summary>RFC 5626 pings seen. A Done that leaves <see cref="TakeMessage"/> returning null was a ping: answer with a pong.</summary>
    public int KeepAliveCount { get; private set; }

    /// <summary>True once a complete message is ready for <see cref="TakeMessage"/>.</summary>
    public bool IsComplete { get; private set; }

    public void OnMessageBegin(int length)
    {
        Reset();
        EnsureCapacity(Math.Max(length, MinimumBuffer));
    }

    public void OnRequestLine(ReadOnlySpan<byte> method, ReadOnlySpan<byte> requestUri)
    {
        _isRequest = true;
        _hasStartLine = true;
        _method = Append(method, normalizeFolding: false);
        _requestUri = Append(requestUri, normalizeFolding: false);
    }

    public void OnStatusLine(int statusCode, ReadOnlySpan<byte> reasonPhrase)
    {
        _isRequest = false;
        _hasStartLine = true;
        _statusCode = statusCode;
        _reasonPhrase = Append(reasonPhrase, normalizeFolding: false);
    }

    public void OnHeader(KnownHeader header, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (_headerCount == _headers.Length)
        {
            var larger = ArrayPool<HeaderEntry>.Shared.Rent(Math.Max(16, _headers.Length * 2));
            _headers.AsSpan(0, _headerCount).CopyTo(larger);
            ReturnHeaders();
            _headers = larger;
        }

        var nameRange = Append(name, normalizeFolding: false);
        var valueRange = Append(value, normalizeFolding: true);
        _headers[_headerCount++] = new HeaderEntry(header, nameRange, valueRange);
    }

    public void OnBody(ReadOnlySpan<byte> body) => _body = Append(body, normalizeFolding: false);

    public void OnMessageEnd() => IsComplete = _hasStartLine;

    public void OnKeepAlive() => KeepAliveCount++;

    /// <summary>Adds a header under its canonical name.</summary>
    public void AddHeader(KnownHeader header, ReadOnlySpan<byte> value) => OnHeader(header, KnownHeaders.GetName(header), value);

    /// <summary>Adds a header whose value is the concatenation of up to three parts (e.g. a To plus ";tag=" plus a tag).</summary>
    public void AddHeader(KnownHeader header, ReadOnlySpan<byte> value, ReadOnlySpan<byte> more, ReadOnlySpan<byte> end = default)
    {
        var length = value.Length + more.Length + end.Length;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        value.CopyTo(rented);
        more.CopyTo(rented.AsSpan(value.Length));
        end.CopyTo(rented.AsSpan(value.Length + more.Length));
        OnHeader(header, KnownHeaders.GetName(header), rented.AsSpan(0, length));
        ArrayPool<byte>.Shared.Return(rented);
    }

    /// <summary>Hands the finished message over (the caller owns and disposes it), or null if no complete message was built.</summary>
    public SipMessage? TakeMessage()
    {
        if (!_hasStartLine)
        {
            Reset();
            return null;
        }

        SipMessage message = _isRequest
            ? new SipRequest(_buffer, _headers, _headerCount, _body, _method, _requestUri)
            : new SipResponse(_buffer, _headers, _headerCount, _body, _statusCode, _reasonPhrase);
        _buffer = [];
        _headers = [];
        Reset();
        return message;
    }

    /// <summary>Drops a partly built message, keeping the buffers for the next one.</summary>
    public void Reset()
    {
        _length = 0;
        _headerCount = 0;
        _hasStartLine = false;
        _isRequest = false;
        IsComplete = false;
        _method = _requestUri = _reasonPhrase = _body = default;
        _statusCode = 0;
    }

    private Range Append(ReadOnlySpan<byte> value, bool normalizeFolding)
    {
        EnsureCapacity(_length + value.Length);
        var start = _length;
        var destination = _buffer.AsSpan(start, value.Length);
        value.CopyTo(destination);
        if (normalizeFolding)
        {
            destination.Replace((byte)'\r', (byte)' ');
            destination.Replace((byte)'\n', (byte)' ');
        }

        _length += value.Length;
        return start.._length;
    }

    private void EnsureCapacity(int needed)
    {
        if (needed <= _buffer.Length)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Max(MinimumBuffer, _buffer.Length * 2)));
        _buffer.AsSpan(0, _length).CopyTo(larger);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = larger;
    }

    private void ReturnHeaders()
    {
        if (_headers.Length > 0)
        {
            ArrayPool<HeaderEntry>.Shared.Return(_headers);
        }
    }
}
