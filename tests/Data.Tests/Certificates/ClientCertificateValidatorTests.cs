using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Tests.Certificates.Support;

namespace HostedPbx.Data.Tests.Certificates;

public sealed class ClientCertificateValidatorTests
{
    private readonly SettableTimeProvider _clock = new(TestPki.Start.AddDays(1));

    private ClientCertificateValidator Validator => new(_clock);

    [Fact]
    public void Validate_PlatformCertificateWithIntermediateSent_TrustedAtRoot()
    {
        using var pki = new TestPki();
        using var device = pki.Issuer.IssueDevice(pki.DeviceCa, TestPki.Mac);

        var result = Validator.Validate(device.Certificate, [pki.DeviceCa.Certificate], [pki.Root.Certificate], RevokedSerials.None);

        Assert.True(result.IsTrusted);
        Assert.Equal(CertificateRefusal.None, result.Refusal);
        Assert.Same(pki.Root.Certificate, result.Anchor);
    }

    [Fact]
    public void Validate_DeviceCaAnchorAndNoChainSent_TrustedAtDeviceCa()
    {
        using var pki = new TestPki();
        using var device = pki.Issuer.IssueDevice(pki.DeviceCa, TestPki.Mac);
        using var anchor = X509CertificateLoader.LoadCertificate(pki.DeviceCa.Certificate.RawData);

        var result = Validator.Validate(device.Certificate, null, [anchor], RevokedSerials.None);

        Assert.True(result.IsTrusted);
        Assert.Same(anchor, result.Anchor);
    }

    [Fact]
    public void Validate_RootAndDeviceCaBothAnchors_StopsAtDeviceCa()
    {
        using var pki = new TestPki();
        using var device = pki.Issuer.IssueDevice(pki.DeviceCa, TestPki.Mac);

        var result = Validator.Validate(device.Certificate, [pki.DeviceCa.Certificate], [pki.Root.Certificate, pki.DeviceCa.Certificate], RevokedSerials.None);

        Assert.Same(pki.DeviceCa.Certificate, result.Anchor);
    }

    [Fact]
    public void Validate_RsaDeviceCertificate_Trusted()
    {
        using var pki = new TestPki();
        using var device = pki.Issuer.IssueDevice(pki.DeviceCa, TestPki.Mac, CertificateKeyAlgorithm.Rsa2048);

        Assert.True(Validator.Validate(device.Certificate, [pki.DeviceCa.Certificate], [pki.Root.Certificate], RevokedSerials.None).IsTrusted);
    }

    [Fact]
    public void Validate_NoCertificate_Refused()
    {
        using var pki = new TestPki();
        var result = Validator.Validate(null, null, [pki.Root.Certificate], RevokedSerials.None);
        Assert.False(result.IsTrusted);
        Assert.Null(result.Anchor);
        Assert.Equal(CertificateRefusal.NoCertificate, result.Refusal);
    }

    [Fact]
    public void Validate_NoAnchors_Untrusted()
    {
        using var pki = new TestPki();
        using var device = pki.Issuer.IssueDevice(pki.DeviceCa, TestPki.Mac);
        Assert.Equal(CertificateRefusal.UntrustedIssuer, Validator.Validate(device.Certificate, [pki.DeviceCa.Certificate], [], RevokedSerials.None).Refusal);
    }

    [Fact]
    public void Validate_UnknownCa_Untrusted()
    {
        using var pki = new TestPki();
        using var stranger = new TestPki();
        using var device = stranger.Issuer.IssueDevice(stranger.DeviceCa, TestPki.Mac);

        Assert.Equal(
            CertificateRefusal.UntrustedIssuer,
            Validator.Validate(device.Certificate, [stranger.DeviceCa.Certificate, stranger.Root.Certificate], [pki.Root.Certificate, pki.DeviceCa.Certificate], RevokedSerials.None).Refusal);
    }

    [Fact]
    public void Validate_RootAnchorButIntermediateMissing_Untrusted()
    {
        using var pki = new TestPki();
        using var device = pki.Issuer.IssueDevice(pki.DeviceCa, TestPki.Mac);
        Assert.Equal(CertificateRefusal.UntrustedIssuer, Validator.Validate(device.Certificate, null, [pki.Root.Certificate], RevokedSerials.None).Refusal);
    }

    [Fact]
    public void Validate_AnchorPresentedAsClient_Untrusted()
    {
        using var pki = new TestPki();
        Assert.Equal(CertificateRefusal.UntrustedIssuer, Validator.Validate(pki.Root.Certificate, null, [pki.Root.Certificate], RevokedSerials.None).Refusal);
    }

    [Fact]
    public void Validate_ExpiredCertificate_Refused()
    {
        using var pki = new TestPki();
        using var device = pki.Issuer.IssueDevice(pki.DeviceCa, TestPki.Mac, validityDays: 30);
        _clock.Now = TestPki.Start.AddDays(30).AddSeconds(1);

        Assert.Equal(CertificateRefusal.Expired, Validator.Validate(device.Certificate, [pki.DeviceCa.Certificate], [pki.Root.Certificate], RevokedSerials.None).Refusal);
        Assert.Equal(CertificateRefusal.Expired, Validator.Validate(device.Certificate, null, [pki.DeviceCa.Certificate], RevokedSerials.None).Refusal);
    }

    [Fact]
    public void Validate_LastSecondOfValidity_Trusted()
    {
        using var pki = new TestPki();
        using var device = pki.Issuer.IssueDevice(pki.DeviceCa, TestPki.Mac, validityDays: 30);
        _clock.Now = TestPki.Start.AddDays(30);

        Assert.True(Validator.Validate(device.Certificate, [pki.DeviceCa.Certificate], [pki.Root.Certificate], RevokedSerials.None).IsTrusted);
    }

    [Fact]
    public void Validate_NotYetValidCertificate_Refused()
    {
        using var pki = new TestPki();
        pki.Clock.Now = TestPki.Start.AddDays(10);
        using var device = pki.Issuer.IssueDevice(pki.DeviceCa, TestPki.Mac);
        _clock.Now = TestPki.Start.AddDays(9);

        Assert.Equal(CertificateRefusal.NotYetValid, Validator.Validate(device.Certificate, [pki.DeviceCa.Certificate], [pki.Root.Certificate], RevokedSerials.None).Refusal);
    }

    [Fact]
    public void Validate_ExpiredIntermediateBelowAnchor_Refused()
    {
        using var pki = new TestPki(o => o.IntermediateValidityDays = 100);
        using var leaf = RawCertificates.Leaf(pki.DeviceCa, TestPki.Start, TestPki.Start.AddDays(200));
        _clock.Now = TestPki.Start.AddDays(150);

        Assert.Equal(CertificateRefusal.Expired, Validator.Validate(leaf, [pki.DeviceCa.Certificate], [pki.Root.Certificate], RevokedSerials.None).Refusal);
    }

    [Fact]
    public void Validate_RevokedCertificate_Refused()
    {
        using var pki = new TestPki();
        using var device = pki.Issuer.IssueDevice(pki.DeviceCa, TestPki.Mac);
        using var other = pki.Issuer.IssueDevice(pki.DeviceCa, TestPki.Mac);
        var revocations = new RevokedSerials([(CertificateIdentity.Sha256Fingerprint(pki.DeviceCa.Certificate), device.SerialNumber)]);

        Assert.Equal(CertificateRefusal.Revoked, Validator.Validate(device.Certificate, [pki.DeviceCa.Certificate], [pki.Root.Certificate], revocations).Refusal);
        Assert.Equal(CertificateRefusal.Revoked, Validator.Validate(device.Certificate, null, [pki.DeviceCa.Certificate], revocations).Refusal);
        Assert.True(Validator.Validate(other.Certificate, [pki.DeviceCa.Certificate], [pki.Root.Certificate], revocations).IsTrusted);
    }

    [Fact]
    public void Validate_SameSerialRevokedByAnotherIssuer_Trusted()
    {
        using var pki = new TestPki();
        using var device = pki.Issuer.IssueDevice(pki.DeviceCa, TestPki.Mac);
        var revocations = new RevokedSerials([(CertificateIdentity.Sha256Fingerprint(pki.Root.Certificate), device.SerialNumber)]);

        Assert.True(Validator.Validate(device.Certificate, [pki.DeviceCa.Certificate], [pki.Root.Certificate], revocations).IsTrusted);
    }

    [Fact]
    public void Validate_RevokedIntermediate_Refused()
    {
        using var pki = new TestPki();
        using var device = pki.Issuer.IssueDevice(pki.DeviceCa, TestPki.Mac);
        var revocations = new RevokedSerials([(CertificateIdentity.Sha256Fingerprint(pki.Root.Certificate), CertificateIdentity.SerialNumber(pki.DeviceCa.Certificate))]);

        Assert.Equal(CertificateRefusal.Revoked, Validator.Validate(device.Certificate, [pki.DeviceCa.Certificate], [pki.Root.Certificate], revocations).Refusal);
    }

    [Fact]
    public void Validate_VendorIntermediateAnchor_TrustedWithOrWithoutVendorChain()
    {
        using var vendor = Vendor();
        using var device = vendor.Issuer.IssueDevice(vendor.DeviceCa, TestPki.Mac, CertificateKeyAlgorithm.Rsa2048);
        using var anchor = X509CertificateLoader.LoadCertificate(vendor.DeviceCa.Certificate.RawData);

        X509Certificate2[][] sentChains = [[], [vendor.DeviceCa.Certificate], [vendor.DeviceCa.Certificate, vendor.Root.Certificate]];
        foreach (var sent in sentChains)
        {
            var result = Validator.Validate(device.Certificate, sent, [anchor], RevokedSerials.None);
            Assert.True(result.IsTrusted, $"{sent.Length} sent: {result.Refusal}");
            Assert.Same(anchor, result.Anchor);
        }
    }

    [Fact]
    public void Validate_VendorIntermediateAnchorWithExpiredVendorRootAbove_Trusted()
    {
        using var vendor = Vendor(o => o.RootValidityDays = 365);
        using var leaf = RawCertificates.Leaf(vendor.DeviceCa, TestPki.Start, TestPki.Start.AddDays(300));
        // The vendor root above the anchor may lapse; the anchor on record is what is trusted.
        _clock.Now = TestPki.Start.AddDays(200);

        Assert.True(Validator.Validate(leaf, [vendor.Root.Certificate], [vendor.DeviceCa.Certificate], RevokedSerials.None).IsTrusted);
    }

    [Fact]
    public void Validate_ExpiredVendorIntermediateAnchor_Refused()
    {
        using var vendor = Vendor(o => o.IntermediateValidityDays = 100);
        using var leaf = RawCertificates.Leaf(vendor.DeviceCa, TestPki.Start, TestPki.Start.AddDays(300));
        _clock.Now = TestPki.Start.AddDays(150);

        Assert.Equal(CertificateRefusal.AnchorExpired, Validator.Validate(leaf, null, [vendor.DeviceCa.Certificate], RevokedSerials.None).Refusal);
    }

    [Fact]
    public void Validate_ExpiredRootAnchor_Refused()
    {
        using var pki = new TestPki(o => o.RootValidityDays = 365);
        using var leaf = RawCertificates.Leaf(pki.DeviceCa, TestPki.Start, TestPki.Start.AddDays(300));
        _clock.Now = TestPki.Start.AddDays(366);

        Assert.Equal(CertificateRefusal.AnchorExpired, Validator.Validate(leaf, [pki.DeviceCa.Certificate], [pki.Root.Certificate], RevokedSerials.None).Refusal);
    }

    [Fact]
    public void Validate_AnchorNotYetValid_Refused()
    {
        using var pki = new TestPki();
        using var leaf = RawCertificates.Leaf(pki.DeviceCa, TestPki.Start.AddDays(-10), TestPki.Start.AddDays(300));
        _clock.Now = TestPki.Start.AddDays(-1);

        Assert.Equal(CertificateRefusal.AnchorNotYetValid, Validator.Validate(leaf, null, [pki.DeviceCa.Certificate], RevokedSerials.None).Refusal);
    }

    [Fact]
    public void Validate_ServerAuthOnly_WrongUsage()
    {
        using var pki = new TestPki();
        using var server = pki.Issuer.IssueServer(pki.DeviceCa, ["001565aabbcc"]);

        Assert.Equal(CertificateRefusal.WrongUsage, Validator.Validate(server.Certificate, [pki.DeviceCa.Certificate], [pki.Root.Certificate], RevokedSerials.None).Refusal);
        Assert.Equal(CertificateRefusal.WrongUsage, Validator.Validate(server.Certificate, null, [pki.DeviceCa.Certificate], RevokedSerials.None).Refusal);
    }

    [Fact]
    public void Validate_KeyUsageWithoutDigitalSignature_WrongUsage()
    {
        using var pki = new TestPki();
        using var leaf = RawCertificates.Leaf(pki.DeviceCa, TestPki.Start, TestPki.Start.AddDays(30), usage: X509KeyUsageFlags.KeyAgreement);

        Assert.Equal(CertificateRefusal.WrongUsage, Validator.Validate(leaf, [pki.DeviceCa.Certificate], [pki.Root.Certificate], RevokedSerials.None).Refusal);
    }

    [Fact]
    public void Validate_NoExtendedKeyUsage_Trusted()
    {
        using var pki = new TestPki();
        using var leaf = RawCertificates.Leaf(pki.DeviceCa, TestPki.Start, TestPki.Start.AddDays(30), extendedUsage: null);

        Assert.True(Validator.Validate(leaf, [pki.DeviceCa.Certificate], [pki.Root.Certificate], RevokedSerials.None).IsTrusted);
    }

    [Fact]
    public void Validate_CaCertificateAsClient_WrongUsage()
    {
        using var pki = new TestPki();
        Assert.Equal(CertificateRefusal.WrongUsage, Validator.Validate(pki.DeviceCa.Certificate, null, [pki.Root.Certificate], RevokedSerials.None).Refusal);
    }

    [Fact]
    public void Validate_ForgedSignature_BadSignature()
    {
        using var pki = new TestPki();
        using var forged = RawCertificates.Forged(pki.DeviceCa.Certificate, TestPki.Start, TestPki.Start.AddDays(30));

        Assert.Equal(CertificateRefusal.BadSignature, Validator.Validate(forged, [pki.DeviceCa.Certificate], [pki.Root.Certificate], RevokedSerials.None).Refusal);
        Assert.Equal(CertificateRefusal.BadSignature, Validator.Validate(forged, null, [pki.DeviceCa.Certificate], RevokedSerials.None).Refusal);
    }

    [Fact]
    public void Validate_ForgedAndExpired_ReportsBadSignatureFirst()
    {
        using var pki = new TestPki();
        using var forged = RawCertificates.Forged(pki.DeviceCa.Certificate, TestPki.Start, TestPki.Start.AddDays(30));
        _clock.Now = TestPki.Start.AddDays(31);

        Assert.Equal(CertificateRefusal.BadSignature, Validator.Validate(forged, null, [pki.DeviceCa.Certificate], RevokedSerials.None).Refusal);
    }

    [Fact]
    public void Validate_CaBelowPathLengthZeroCa_InvalidChain()
    {
        using var pki = new TestPki();
        using var subordinate = pki.Issuer.CreateIntermediate(pki.DeviceCa, commonName: "Rogue CA");
        using var device = pki.Issuer.IssueDevice(subordinate, TestPki.Mac);

        Assert.Equal(
            CertificateRefusal.InvalidChain,
            Validator.Validate(device.Certificate, [subordinate.Certificate, pki.DeviceCa.Certificate], [pki.Root.Certificate], RevokedSerials.None).Refusal);
        Assert.Equal(
            CertificateRefusal.InvalidChain,
            Validator.Validate(device.Certificate, [subordinate.Certificate], [pki.DeviceCa.Certificate], RevokedSerials.None).Refusal);
    }

    [Fact]
    public void Validate_AnchorIsNotACa_InvalidChain()
    {
        using var pki = new TestPki();
        using var device = pki.Issuer.IssueDevice(pki.DeviceCa, TestPki.Mac);
        using var signedByDevice = RawCertificates.SignedBy(device.Certificate, TestPki.Start, TestPki.Start.AddDays(30));

        Assert.Equal(CertificateRefusal.InvalidChain, Validator.Validate(signedByDevice, null, [device.Certificate], RevokedSerials.None).Refusal);
    }

    [Theory]
    [InlineData(false, X509KeyUsageFlags.KeyCertSign)]
    [InlineData(true, X509KeyUsageFlags.DigitalSignature)]
    public void Validate_SelfSignedAnchorThatMayNotIssue_InvalidChain(bool isCa, X509KeyUsageFlags usage)
    {
        using var key = ECDsa.Create();
        var request = new CertificateRequest("CN=Not a CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(isCa, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        using var anchor = request.CreateSelfSigned(TestPki.Start.AddDays(-1), TestPki.Start.AddDays(100));
        using var leaf = RawCertificates.SignedBy(anchor, TestPki.Start, TestPki.Start.AddDays(30));

        Assert.Equal(CertificateRefusal.InvalidChain, Validator.Validate(leaf, null, [anchor], RevokedSerials.None).Refusal);
    }

    private static TestPki Vendor(Action<CertificateAuthorityOptions>? configure = null) => new(o =>
    {
        o.Organization = "Vendor Phones Ltd";
        o.RootCommonName = "Vendor Root CA";
        o.DeviceCaCommonName = "Vendor Device CA";
        configure?.Invoke(o);
    });
}
