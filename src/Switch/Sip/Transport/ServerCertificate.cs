using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HostedPbx.Switch.Sip.Transport;

/// <summary>Loads the switch's own certificate (leaf first, then its chain) and key from PEM files, once.</summary>
internal static class ServerCertificate
{
    public static SslStreamCertificateContext Load(string certificatePath, string privateKeyPath)
    {
        if (!File.Exists(certificatePath))
        {
            throw new HostedPbx.Data.Hosting.StartupCheckException($"Switch:CertificatePath '{certificatePath}' does not exist; the switch needs its TLS certificate (PEM) there.");
        }

        if (!File.Exists(privateKeyPath))
        {
            throw new HostedPbx.Data.Hosting.StartupCheckException($"Switch:PrivateKeyPath '{privateKeyPath}' does not exist; the switch needs its TLS private key (PEM) there.");
        }

        try
        {
            using var leaf = X509Certificate2.CreateFromPemFile(certificatePath, privateKeyPath);
            var chain = new X509Certificate2Collection();
            chain.ImportFromPemFile(certificatePath);
            var intermediates = new X509Certificate2Collection(
                chain.Where(c => !c.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span)).ToArray());
            // Re-import through PKCS#12 so the key is usable by SslStream on every platform.
            var usable = X509CertificateLoader.LoadPkcs12(leaf.Export(X509ContentType.Pkcs12), null);
            return SslStreamCertificateContext.Create(usable, intermediates, offline: true);
        }
        catch (CryptographicException ex)
        {
            throw new HostedPbx.Data.Hosting.StartupCheckException(
                $"Switch:CertificatePath '{certificatePath}' and Switch:PrivateKeyPath '{privateKeyPath}' do not hold a matching PEM certificate and key: {ex.Message}", ex);
        }
    }
}
