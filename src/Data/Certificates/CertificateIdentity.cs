using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HostedPbx.Data.Certificates;

/// <summary>The strings under which certificates are recorded: all lowercase hex.</summary>
public static class CertificateIdentity
{
    /// <summary>SHA-256 over the DER certificate, 64 lowercase hex digits: what a device binding records.</summary>
    public static string Sha256Fingerprint(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Convert.ToHexStringLower(certificate.GetCertHash(HashAlgorithmName.SHA256));
    }

    /// <summary>The serial number as big-endian lowercase hex, as a CRL or revocation row names it.</summary>
    public static string SerialNumber(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Convert.ToHexStringLower(certificate.SerialNumberBytes.Span);
    }
}
