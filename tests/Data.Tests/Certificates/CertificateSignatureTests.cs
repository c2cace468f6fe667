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
}
