using System.Net;
using System.Net.Sockets;

namespace HostedPbx.Switch.Sip.Syntax;

/// <summary>Validates the host production: host = hostname / IPv4address / IPv6reference (RFC 3261 §25.1).</summary>
public static class SipHost
{
    public static bool TryClassify(ReadOnlySpan<byte> host, out SipHostKind kind)
    {
        kind = SipHostKind.HostName;
        if (host.IsEmpty)
        {
            return false;
        }

        if (host[0] == '[')
        {
            kind = SipHostKind.IPv6;
            return host.Length > 2 && host[^1] == ']' && IsIPv6(host[1..^1]);
        }

        if (LooksNumeric(host))
        {
            // IPv4address = 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT
            kind = SipHostKind.IPv4;
            return IsIPv4(host);
        }

        return IsHostName(host);
    }

    private static bool LooksNumeric(ReadOnlySpan<byte> host)
    {
        foreach (var c in host)
        {
            if (c != '.' && !char.IsAsciiDigit((char)c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsIPv4(ReadOnlySpan<byte> host)
    {
        var parts = 0;
        foreach (var range in host.Split((byte)'.'))
        {
            var part = host[range];
            if (part.Length is 0 or > 3 || !SipGrammar.TryParseDigits(part, 255, out _))
            {
                return false;
            }

            parts++;
        }

        return parts == 4;
    }

    private static bool IsIPv6(ReadOnlySpan<byte> address)
    {
        if (address.Length > 45)
        {
            return false;
        }

        Span<char> chars = stackalloc char[address.Length];
        for (var i = 0; i < address.Length; i++)
        {
            var c = address[i];
            if (!char.IsAsciiHexDigit((char)c) && c != ':' && c != '.')
            {
                return false;
            }

            chars[i] = (char)c;
        }

        return IPAddress.TryParse(chars, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6;
    }

    // hostname = *( domainlabel "." ) toplabel [ "." ]; domainlabel = alphanum / alphanum *( alphanum / "-" ) alphanum
    private static bool IsHostName(ReadOnlySpan<byte> host)
    {
        if (host[^1] == '.')
        {
            host = host[..^1];
        }

        foreach (var range in host.Split((byte)'.'))
        {
            var label = host[range];
            if (label.IsEmpty || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }

            foreach (var c in label)
            {
                if (!char.IsAsciiLetterOrDigit((char)c) && c != '-')
                {
                    return false;
                }
            }
        }

        return true;
    }
}
