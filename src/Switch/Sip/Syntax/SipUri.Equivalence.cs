using System.Buffers;

namespace HostedPbx.Switch.Sip.Syntax;

public readonly ref partial struct SipUri
{
    /// <summary>
    /// RFC 3261 §19.1.4 URI comparison: same scheme; user and password equal after unescaping (case-sensitive); host
    /// case-insensitive; port present in both or neither and equal; user, ttl, method, maddr and transport parameters
    /// present in both or neither and equal; other parameters compared only when both have them; headers all equal.
    /// </summary>
    public bool IsEquivalentTo(SipUri other)
    {
        if (IsSecure != other.IsSecure || HasUser != other.HasUser || HasPassword != other.HasPassword || Port != other.Port
            || !SipGrammar.EqualsIgnoreCase(Host, other.Host))
        {
            return false;
        }

        if (!UnescapedEquals(User, other.User, ignoreCase: false) || !UnescapedEquals(Password, other.Password, ignoreCase: false))
        {
            return false;
        }

        return ParametersMatch(Parameters, other.Parameters) && ParametersMatch(other.Parameters, Parameters)
            && HeadersMatch(Headers, other.Headers) && HeadersMatch(other.Headers, Headers);
    }

    private static bool ParametersMatch(ReadOnlySpan<byte> parameters, ReadOnlySpan<byte> otherParameters)
    {
        foreach (var parameter in new SipParameters(parameters, uriForm: true))
        {
            if (SipParameters.TryGet(otherParameters, parameter.Name, out var otherValue, uriForm: true))
            {
                if (!UnescapedEquals(parameter.Value, otherValue, ignoreCase: true))
                {
                    return false;
                }
            }
            else if (IsAlwaysCompared(parameter.Name))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAlwaysCompared(ReadOnlySpan<byte> name) =>
        SipGrammar.EqualsIgnoreCase(name, "user"u8) || SipGrammar.EqualsIgnoreCase(name, "ttl"u8)
        || SipGrammar.EqualsIgnoreCase(name, "method"u8) || SipGrammar.EqualsIgnoreCase(name, "maddr"u8)
        || SipGrammar.EqualsIgnoreCase(name, "transport"u8);

    // Header components are never ignored: every header of one URI must be in the other with the same value.
    private static bool HeadersMatch(ReadOnlySpan<byte> headers, ReadOnlySpan<byte> otherHeaders)
    {
        foreach (var range in headers.Split((byte)'&'))
        {
            var header = headers[range];
            var equals = header.IndexOf((byte)'=');
            if (equals < 0)
            {
                continue;
            }

            var found = false;
            foreach (var otherRange in otherHeaders.Split((byte)'&'))
            {
                var otherHeader = otherHeaders[otherRange];
                var otherEquals = otherHeader.IndexOf((byte)'=');
                if (otherEquals >= 0 && UnescapedEquals(header[..equals], otherHeader[..otherEquals], ignoreCase: true))
                {
                    found = UnescapedEquals(header[(equals + 1)..], otherHeader[(otherEquals + 1)..], ignoreCase: false);
                    break;
                }
            }

            if (!found)
            {
                return false;
            }
        }

        return true;
    }

    // RFC 3261 §19.1.4: characters other than those in the reserved set are equivalent to their %HH encoding.
    private static bool UnescapedEquals(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, bool ignoreCase)
    {
        if (left.IndexOf((byte)'%') < 0 && right.IndexOf((byte)'%') < 0)
        {
            return ignoreCase ? SipGrammar.EqualsIgnoreCase(left, right) : left.SequenceEqual(right);
        }

        var rented = ArrayPool<byte>.Shared.Rent(left.Length + right.Length);
        try
        {
            var leftBuffer = rented.AsSpan(0, left.Length);
            var rightBuffer = rented.AsSpan(left.Length, right.Length);
            if (!TryUnescape(left, leftBuffer, out var leftLength) || !TryUnescape(right, rightBuffer, out var rightLength))
            {
                return false;
            }

            return ignoreCase
                ? SipGrammar.EqualsIgnoreCase(leftBuffer[..leftLength], rightBuffer[..rightLength])
                : leftBuffer[..leftLength].SequenceEqual(rightBuffer[..rightLength]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
