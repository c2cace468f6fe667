using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace HostedPbx.Switch.Sip.Registrar;

/// <summary>
/// SIP digest (RFC 3261 §22.4 with RFC 8760: SHA-256 preferred, MD5 for old handsets) against a stored HA1. Nonces are
/// stateless: a time stamp and its HMAC under a per-process key, valid for <see cref="NonceLifetime"/>.
/// </summary>
internal sealed class DigestAuthenticator(TimeProvider time)
{
    public const string Realm = "hostedpbx";

    private static readonly TimeSpan NonceLifetime = TimeSpan.FromMinutes(5);
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public string CreateNonce()
    {
        Span<byte> nonce = stackalloc byte[24];
        BinaryPrimitives.WriteInt64BigEndian(nonce, time.GetUtcNow().ToUnixTimeSeconds());
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, nonce[..8], mac);
        mac[..16].CopyTo(nonce[8..]);
        return Convert.ToHexStringLower(nonce);
    }

    /// <summary>RFC 8760 §2.4: one challenge per algorithm, the preferred first.</summary>
    public static IEnumerable<(string Name, string Value)> Challenges(string nonce) =>
    [
        ("WWW-Authenticate", $"Digest realm=\"{Realm}\", nonce=\"{nonce}\", algorithm=SHA-256, qop=\"auth\""),
        ("WWW-Authenticate", $"Digest realm=\"{Realm}\", nonce=\"{nonce}\", algorithm=MD5, qop=\"auth\""),
    ];

    public bool Verify(IReadOnlyDictionary<string, string> credentials, string method, string? ha1Sha256, string? ha1Md5)
    {
        if (!credentials.TryGetValue("nonce", out var nonce) || !IsFreshNonce(nonce)
            || !credentials.TryGetValue("uri", out var uri) || !credentials.TryGetValue("response", out var response))
        {
            return false;
        }

        var algorithm = credentials.GetValueOrDefault("algorithm", "MD5");
        var (ha1, hash) = algorithm.ToUpperInvariant() switch
        {
            "SHA-256" => (ha1Sha256, (Func<string, string>)Sha256),
            "MD5" => (ha1Md5, Md5),
            _ => (null, Md5),
        };
        if (ha1 is null)
        {
            return false;
        }

        var ha2 = hash($"{method}:{uri}");
        // RFC 3261 §22.4 / RFC 2617 §3.2.2.1: with qop=auth the cnonce and nonce count enter the response.
        var expected = credentials.TryGetValue("qop", out var qop)
            ? hash($"{ha1}:{nonce}:{credentials.GetValueOrDefault("nc")}:{credentials.GetValueOrDefault("cnonce")}:{qop}:{ha2}")
            : hash($"{ha1}:{nonce}:{ha2}");
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(response.ToLowerInvariant()));
    }

    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

#pragma warning disable CA5351 // RFC 8760 keeps MD5 for handsets that know nothing else; it is only offered second.
    public static string Md5(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5351

    private bool IsFreshNonce(string nonce)
    {
        Span<byte> bytes = stackalloc byte[24];
        if (nonce.Length != 48 || Convert.FromHexString(nonce, bytes, out _, out _) != System.Buffers.OperationStatus.Done)
        {
            return false;
        }

        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, bytes[..8], mac);
        var issued = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(bytes));
        return CryptographicOperations.FixedTimeEquals(mac[..16], bytes[8..]) && time.GetUtcNow() - issued <= NonceLifetime;
    }
}
