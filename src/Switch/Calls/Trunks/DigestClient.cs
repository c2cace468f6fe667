using System.Security.Cryptography;
using System.Text;
using HostedPbx.Switch.Sip.Registrar;

namespace HostedPbx.Switch.Calls.Trunks;

/// <summary>
/// The UAC side of SIP digest (RFC 3261 §22.2, RFC 2617 §3.2.2, RFC 8760): answers a carrier's 401 or 407 challenge,
/// choosing SHA-256 over MD5 when both are offered (RFC 8760 §2.4). The password is used here and nowhere else.
/// </summary>
internal static class DigestClient
{
    /// <summary>
    /// The credentials for <paramref name="challenges"/> (WWW-Authenticate or Proxy-Authenticate values), or null when none
    /// is a digest challenge this client can answer.
    /// </summary>
    public static string? Answer(IEnumerable<string> challenges, string method, string uri, string username, ReadOnlySpan<byte> password)
    {
        Dictionary<string, string>? chosen = null;
        foreach (var value in challenges)
        {
            if (Registrar.ParseCredentials(value) is not { } challenge || !challenge.ContainsKey("nonce"))
            {
                continue;
            }

            var algorithm = challenge.GetValueOrDefault("algorithm", "MD5");
            if (algorithm.Equals("SHA-256", StringComparison.OrdinalIgnoreCase))
            {
                chosen = challenge;
                break;
            }

            if (algorithm.Equals("MD5", StringComparison.OrdinalIgnoreCase))
            {
                chosen ??= challenge;
            }
        }

        if (chosen is null)
        {
            return null;
        }

        var sha256 = chosen.GetValueOrDefault("algorithm", "MD5").Equals("SHA-256", StringComparison.OrdinalIgnoreCase);
        Func<string, string> hash = sha256 ? DigestAuthenticator.Sha256 : DigestAuthenticator.Md5;
        var realm = chosen.GetValueOrDefault("realm", "");
        var nonce = chosen["nonce"];
        // RFC 2617 §3.2.2.2: A1 = username ":" realm ":" password.
        var ha1 = HashA1(sha256, username, realm, password);
        var ha2 = hash($"{method}:{uri}");
        var builder = new StringBuilder(256);
        builder.Append("Digest username=\"").Append(username).Append("\", realm=\"").Append(realm).Append("\", nonce=\"").Append(nonce)
            .Append("\", uri=\"").Append(uri).Append("\", algorithm=").Append(sha256 ? "SHA-256" : "MD5");
        var qops = chosen.GetValueOrDefault("qop", "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (qops.Contains("auth", StringComparer.OrdinalIgnoreCase))
        {
            // RFC 2617 §3.2.2.1: with qop=auth, a client nonce and the nonce count enter the response.
            var cnonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
            const string count = "00000001";
            builder.Append(", qop=auth, nc=").Append(count).Append(", cnonce=\"").Append(cnonce).Append("\", response=\"")
                .Append(hash($"{ha1}:{nonce}:{count}:{cnonce}:auth:{ha2}")).Append('"');
        }
        else
        {
            builder.Append(", response=\"").Append(hash($"{ha1}:{nonce}:{ha2}")).Append('"');
        }

        if (chosen.TryGetValue("opaque", out var opaque))
        {
            builder.Append(", opaque=\"").Append(opaque).Append('"');
        }

        return builder.ToString();
    }

    private static string HashA1(bool sha256, string username, string realm, ReadOnlySpan<byte> password)
    {
        var prefix = Encoding.UTF8.GetBytes($"{username}:{realm}:");
        var a1 = new byte[prefix.Length + password.Length];
        try
        {
            prefix.CopyTo(a1, 0);
            password.CopyTo(a1.AsSpan(prefix.Length));
#pragma warning disable CA5351 // RFC 8760 keeps MD5 for carriers that offer nothing else; SHA-256 is chosen when offered.
            return Convert.ToHexStringLower(sha256 ? SHA256.HashData(a1) : MD5.HashData(a1));
#pragma warning restore CA5351
        }
        finally
        {
            CryptographicOperations.ZeroMemory(a1);
        }
    }
}
