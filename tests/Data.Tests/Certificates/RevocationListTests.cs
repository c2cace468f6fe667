using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Tests.Certificates.Support;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;

namespace HostedPbx.Data.Tests.Certificates;

public sealed class RevocationListTests
{
    [Fact]
    public void BuildRevocationList_Entries_SignedByIssuerWithNumberAndNextUpdate()
    {
        using var pki = new TestPki();
        using var revoked = pki.Issuer.IssueDevice(pki.DeviceCa, TestPki.Mac);
        using var kept = pki.Issuer.IssueDevice(pki.DeviceCa, TestPki.Mac);
        var revokedAt = TestPki.Start.AddHours(-2);
        pki.Clock.Now = TestPki.Start.AddHours(1);

        var der = pki.Issuer.BuildRevocationList(
            pki.DeviceCa,
            [new RevokedCertificate(revoked.SerialNumber, revokedAt, X509RevocationReason.KeyCompromise), new RevokedCertificate("0a0b0c", revokedAt)],
            crlNumber: 42);

        var crl = new X509CrlParser().ReadCrl(der);
        Assert.True(crl.IsSignatureValid(new X509CertificateParser().ReadCertificate(pki.DeviceCa.Certificate.RawData).GetPublicKey()));
        Assert.False(crl.IsSignatureValid(new X509CertificateParser().ReadCertificate(pki.Root.Certificate.RawData).GetPublicKey()));
        Assert.Equal(pki.Clock.Now.UtcDateTime, crl.ThisUpdate);
        Assert.Equal(pki.Clock.Now.AddHours(168).UtcDateTime, crl.NextUpdate);
        Assert.Equal(new Org.BouncyCastle.Math.BigInteger("42"), DerInteger.GetInstance(X509ExtensionUtilities.FromExtensionValue(crl.GetExtensionValue(X509Extensions.CrlNumber))).Value);

        var entry = crl.GetRevokedCertificate(new Org.BouncyCastle.Math.BigInteger(revoked.SerialNumber, 16));
        Assert.NotNull(entry);
        Assert.Equal(revokedAt.UtcDateTime, entry.RevocationDate);
        Assert.Equal(CrlReason.KeyCompromise, CrlReason.GetInstance(X509ExtensionUtilities.FromExtensionValue(entry.GetExtensionValue(X509Extensions.ReasonCode))).IntValueExact);
        Assert.NotNull(crl.GetRevokedCertificate(new Org.BouncyCastle.Math.BigInteger("0a0b0c", 16)));
        Assert.Null(crl.GetRevokedCertificate(new Org.BouncyCastle.Math.BigInteger(kept.SerialNumber, 16)));
        Assert.Equal(2, crl.GetRevokedCertificates().Count);
    }

    [Fact]
    public void BuildRevocationList_Empty_LoadsBackWithItsNumber()
    {
        using var pki = new TestPki();
        var der = pki.Issuer.BuildRevocationList(pki.DeviceCa, [], crlNumber: 7);

        CertificateRevocationListBuilder.Load(der, out BigInteger number);
        Assert.Equal(7, number);
        Assert.Null(new X509CrlParser().ReadCrl(der).GetRevokedCertificates());
    }

    [Fact]
    public void BuildRevocationList_RsaIssuer_IsSigned()
    {
        using var pki = new TestPki();
        using var root = pki.Issuer.CreateRoot(CertificateKeyAlgorithm.Rsa2048);
        var der = pki.Issuer.BuildRevocationList(root, [new RevokedCertificate("01", TestPki.Start)], crlNumber: 1);

        Assert.True(new X509CrlParser().ReadCrl(der).IsSignatureValid(new X509CertificateParser().ReadCertificate(root.Certificate.RawData).GetPublicKey()));
    }
}
