using System.Security.Cryptography;
using System.Text;

namespace HostedPbx.Data.Security;

/// <summary>
/// The management API key as the reseller sees it once: <c>hpbx_{prefix}_{secret}</c>. The prefix finds the row;
/// only SHA-256 of the whole key is stored.
/// </summary>
public sealed record ApiKeySecret(string Plaintext, string Prefix, byte[] Hash)
{
    private const string Scheme = "hpbx_";
    private const int PrefixLength = 12;

    public static ApiKeySecret Create()
    {
        var prefix = RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", PrefixLength);
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var plaintext = $"{Scheme}{prefix}_{secret}";
        return new ApiKeySecret(plaintext, prefix, HashOf(plaintext));
    }

    /// <summary>Splits a presented key into its prefix and hash; false when it is not of our form.</summary>
    public static bool TryParse(string? presented, out string prefix, out byte[] hash)
    {
        prefix = "";
        hash = [];
        if (presented is null || presented.Length > 200 || !presented.StartsWith(Scheme, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = presented.AsSpan(Scheme.Length);
        if (rest.Length <= PrefixLength + 1 || rest[PrefixLength] != '_')
        {
            return false;
        }

        prefix = rest[..PrefixLength].ToString();
        hash = HashOf(presented);
        return true;
    }

    public static byte[] HashOf(string plaintext) => SHA256.HashData(Encoding.UTF8.GetBytes(plaintext));

    /// <summary>Never print the secret by accident.</summary>
    public override string ToString() => $"ApiKeySecret {{ Prefix = {Prefix} }}";
}
