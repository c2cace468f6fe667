using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Tests.Certificates.Support;

namespace HostedPbx.Data.Tests.Certificates;

public sealed class CertificateSignatureTests
{
    [Fact]
    public void IsSignedBy_RealIssuer_True()
    {
        using var pki = new TestPki();
        using var device = pki.Issuer.IssueDevice(pki.DeviceCa, TestPki.Mac);

        Assert.True(CertificateSignature.IsSignedBy(device.Certificate, pki.DeviceCa.Certificate));
        Assert.True(CertificateSignature.IsSignedBy(pki.DeviceCa.Certificate, pki.Root.Certificate));
    }

    [Fact]
    public void IsSignedBy_RsaIssuer_True()
    {
        using var pki = new TestPki();
        using var root = pki.Issuer.CreateRoot(CertificateKeyAlgorithm.Rsa2048);
        using var device = pki.Issuer.IssueDevice(root, TestPki.Mac);

        Assert.True(CertificateSignature.IsSignedBy(device.Certificate, root.Certificate));
    }

    [Fact]
    public void IsSignedBy_OtherCertificate_False()
    {
        using var pki = new TestPki();
        using var device = pki.Issuer.IssueDevice(pki.DeviceCa, TestPki.Mac);
        using var forged = RawCertificates.Forged(pki.DeviceCa.Certificate, TestPki.Start, TestPki.Start.AddDays(1));

        Assert.False(CertificateSignature.IsSignedBy(device.Certificate, pki.Root.Certificate));
        Assert.False(CertificateSignature.IsSignedBy(forged, pki.DeviceCa.Certificate));
    }

    [Fact]
    public void IsSignedBy_AnyByteOfTheSignedPartOrSignatureChanged_False()
    {
        using var pki = new TestPki();
        using var device = pki.Issuer.IssueDevice(pki.DeviceCa, TestPki.Mac);
        var der = device.Certificate.RawData;

        // Offset 20 is inside the signed part (its serial number), the last byte inside the signature value.
        foreach (var offset in new[] { 20, der.Length - 1 })
        {
            var changed = (byte[])der.Clone();
            changed[offset] ^= 0x01;
            using var altered = X509CertificateLoader.LoadCertificate(changed);

            Assert.False(CertificateSignature.IsSignedBy(altered, pki.DeviceCa.Certificate), $"byte {offset} changed");
        }
    }

    [Fact]
    public void IsSignedBy_RsaPssIssuer_CheckedByTheFallback()
    {
        // RSA-PSS carries its hash in parameters; the BCL path takes only PKCS #1 v1.5 and ECDSA and hands this on.
        using var pki = new TestPki();
        using var issuerKey = RSA.Create(2048);
        var issuerRequest = new CertificateRequest("CN=PSS vendor CA", issuerKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        issuerRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        issuerRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(issuerRequest.PublicKey, false));
        using var issuer = issuerRequest.CreateSelfSigned(TestPki.Start.AddDays(-1), TestPki.Start.AddYears(1));
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=001565aabbcc", leafKey, HashAlgorithmName.SHA256);
        using var leaf = leafRequest.Create(
            issuer.SubjectName, X509SignatureGenerator.CreateForRSA(issuerKey, RSASignaturePadding.Pss), TestPki.Start, TestPki.Start.AddDays(30), [1, 2, 3]);

        Assert.Equal("1.2.840.113549.1.1.10", leaf.SignatureAlgorithm.Value);
        Assert.True(CertificateSignature.IsSignedBy(leaf, issuer));
        Assert.False(CertificateSignature.IsSignedBy(leaf, pki.DeviceCa.Certificate));
    }
}
