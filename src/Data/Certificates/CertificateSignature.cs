using System.Security.Cryptography.X509Certificates;
using BouncyCastleCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace HostedPbx.Data.Certificates;

/// <summary>
/// Checks one link of a chain by hand. The BCL has no "verify this certificate's signature with that key" call,
/// and X509Chain on Linux does not accept a non-self-signed anchor as a root, so this is where BouncyCastle is used.
/// </summary>
internal static class CertificateSignature
{
    public static bool IsSignedBy(X509Certificate2 child, X509Certificate2 parent)
    {
        try
        {
            var parentKey = new BouncyCastleCertificate(parent.RawData).GetPublicKey();
            return new BouncyCastleCertificate(child.RawData).IsSignatureValid(parentKey);
        }
        catch (Exception ex) when (ex is Org.BouncyCastle.Security.GeneralSecurityException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
