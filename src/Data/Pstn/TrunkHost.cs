using System.Net;

namespace HostedPbx.Data.Pstn;

/// <summary>What a carrier's host may be: an IP literal, or a DNS name (RFC 1123 labels) the switch resolves per RFC 3263.</summary>
public static class TrunkHost
{
    public static string? Problem(string? host)
    {
        if (string.IsNullOrWhiteSpace(host))
        {
            return "Host is required for a trunk that names no carrier.";
        }

        if (IPAddress.TryParse(host, out _))
        {
            return null;
        }

        var labels = host.TrimEnd('.').Split('.');
        var valid = host.Length <= 253 && labels.Length >= 1 && labels.All(l => l.Length is >= 1 and <= 63
            && l.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') && l[0] != '-' && l[^1] != '-');
        return valid ? null : $"'{host}' is neither an IP address nor a host name.";
    }
}
