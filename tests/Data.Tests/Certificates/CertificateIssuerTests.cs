using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Devices;
using HostedPbx.Data.Tests.Certificates.Support;

namespace HostedPbx.Data.Tests.Certificates;

public sealed class CertificateIssuerTests
{
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";

    [Fact]
    public void CreateRoot_Default_IsSelfSignedP256CaWithCriticalConstraints()
    {
        using var pki = new TestPki();
        var root = pki.Root.Certificate;

        Assert.True(pki.Root.IsRoot);
        Assert.Equal(root.SubjectName.RawData, root.IssuerName.RawData);
        Assert.Equal("CN=HostedPbx Root CA, O=HostedPbx", root.Subject);
        using (var key = root.GetECDsaPublicKey())
        {
            Assert.Equal(256, key!.KeySize);
        }

        var constraints = Extension<X509BasicConstraintsExtension>(root);
        Assert.True(constraints.Critical);
        Assert.True(constraints.CertificateAuthority);
        Assert.False(constraints.HasPathLengthConstraint);
        var usage = Extension<X509KeyUsageExtension>(root);
        Assert.True(usage.Critical);
        Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, usage.KeyUsages);
        Assert.Equal(TestPki.Start.AddMinutes(-5).UtcDateTime, root.NotBefore.ToUniversalTime());
        Assert.Equal(TestPki.Start.AddDays(7300).UtcDateTime, root.NotAfter.ToUniversalTime());
        Assert.Equal(16, root.SerialNumberBytes.Length);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.VerificationTime = TestPki.Start.UtcDateTime;
        Assert.True(chain.Build(root));
    }

    [Fact]
    public void CreateIntermediate_FromRoot_HasPathLengthZeroAndChainsToRoot()
    {
        using var pki = new TestPki();
        var intermediate = pki.DeviceCa.Certificate;

        Assert.False(pki.DeviceCa.IsRoot);
        Assert.Equal(pki.Root.Certificate.RawData, Assert.Single(pki.DeviceCa.Issuers).RawData);
        Assert.Equal("CN=HostedPbx Device CA, O=HostedPbx", intermediate.Subject);
        var constraints = Extension<X509BasicConstraintsExtension>(intermediate);
        Assert.True(constraints.Critical);
        Assert.True(constraints.CertificateAuthority);
        Assert.True(constraints.HasPathLengthConstraint);
        Assert.Equal(0, constraints.PathLengthConstraint);
        Assert.Equal(
            Extension<X509SubjectKeyIdentifierExtension>(pki.Root.Certificate).SubjectKeyIdentifierBytes.ToArray(),
            Extension<X509AuthorityKeyIdentifierExtension>(intermediate).KeyIdentifier!.Value.ToArray());
        AssertChainsTo(intermediate, pki.Root.Certificate, []);
    }

    [Fact]
    public void CaKeyAlgorithm_P384_GivesARootAndDeviceCaOfThatKeySignedWithSha384()
    {
        using var pki = new TestPki(o => o.CaKeyAlgorithm = CertificateKeyAlgorithm.EcdsaP384);

        foreach (var ca in new[] { pki.Root.Certificate, pki.DeviceCa.Certificate })
        {
            using var key = ca.GetECDsaPublicKey();
            Assert.Equal(384, key!.KeySize);
            Assert.Equal("1.2.840.10045.4.3.3", ca.SignatureAlgorithm.Value); // ecdsa-with-SHA384
        }

        AssertChainsTo(pki.DeviceCa.Certificate, pki.Root.Certificate, []);
    }

    [Fact]
    public void IssueDevice_Default_IsP256ClientCertificateNamedByMac()
    {
        using var pki = new TestPki();
        using var device = pki.Issuer.IssueDevice(pki.DeviceCa, TestPki.Mac);
        var certificate = device.Certificate;

        Assert.True(certificate.HasPrivateKey);
        Assert.Equal("CN=0015651a2b3c", certificate.Subject);
        Assert.Equal(pki.DeviceCa.Certificate.SubjectName.RawData, certificate.IssuerName.RawData);
        using (var key = certificate.GetECDsaPublicKey())
        {
            Assert.Equal(256, key!.KeySize);
        }

        var san = Extension<X509SubjectAlternativeNameExtension>(certificate);
        Assert.EndsWith("urn:dev:mac:0015651a2b3c", Encoding.ASCII.GetString(san.RawData), StringComparison.Ordinal);
        Assert.Empty(san.EnumerateDnsNames());
        Assert.True(CertificateMacReader.TryRead(certificate, MacLocation.SanUri, out var fromSan));
        Assert.Equal(TestPki.Mac, fromSan);

        var usage = Extension<X509KeyUsageExtension>(certificate);
        Assert.True(usage.Critical);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, usage.KeyUsages);
        Assert.Equal([ClientAuth], Extension<X509EnhancedKeyUsageExtension>(certificate).EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value));
        var constraints = Extension<X509BasicConstraintsExtension>(certificate);
        Assert.True(constraints.Critical);
        Assert.False(constraints.CertificateAuthority);
        Assert.Equal(
            Extension<X509SubjectKeyIdentifierExtension>(pki.DeviceCa.Certificate).SubjectKeyIdentifierBytes.ToArray(),
            Extension<X509AuthorityKeyIdentifierExtension>(certificate).KeyIdentifier!.Value.ToArray());
        Assert.NotNull(certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().SingleOrDefault());
        Assert.Contains(TestPki.CrlUrl, Encoding.ASCII.GetString(certificate.Extensions["2.5.29.31"]!.RawData), StringComparison.Ordinal);
        AssertChainsTo(certificate, pki.Root.Certificate, [pki.DeviceCa.Certificate]);
    }

    [Fact]
    public void IssueDevice_Default_ValidFromClockSkewAgoForConfiguredDays()
    {
        using var pki = new TestPki();
        pki.Clock.Now = TestPki.Start.AddDays(3).AddSeconds(30);
        using var device = pki.Issuer.IssueDevice(pki.DeviceCa, TestPki.Mac);

        Assert.Equal(pki.Clock.Now.AddMinutes(-5).UtcDateTime, device.Certificate.NotBefore.ToUniversalTime());
        Assert.Equal(pki.Clock.Now.AddDays(825).UtcDateTime, device.Certificate.NotAfter.ToUniversalTime());
    }

    [Fact]
    public void IssueDevice_ValidityDaysGiven_UsesThem()
    {
        using var pki = new TestPki();
        using var device = pki.Issuer.IssueDevice(pki.DeviceCa, TestPki.Mac, validityDays: 30);
        Assert.Equal(TestPki.Start.AddDays(30).UtcDateTime, device.Certificate.NotAfter.ToUniversalTime());
    }

    [Fact]
    public void IssueDevice_LongerThanIssuer_EndsWithIssuer()
    {
        using var pki = new TestPki(o => o.IntermediateValidityDays = 100);
        using var device = pki.Issuer.IssueDevice(pki.DeviceCa, TestPki.Mac);
        Assert.Equal(pki.DeviceCa.Certificate.NotAfter, device.Certificate.NotAfter);
    }

    [Fact]
    public void IssueDevice_IssuerExpired_Throws()
    {
        using var pki = new TestPki(o => o.IntermediateValidityDays = 100);
        pki.Clock.Now = TestPki.Start.AddDays(101);
        Assert.Throws<InvalidOperationException>(() => pki.Issuer.IssueDevice(pki.DeviceCa, TestPki.Mac));
    }

    [Fact]
    public void IssueDevice_Twice_GivesPositiveSixteenByteRandomSerials()
    {
        using var pki = new TestPki();
        using var first = pki.Issuer.IssueDevice(pki.DeviceCa, TestPki.Mac);
        using var second = pki.Issuer.IssueDevice(pki.DeviceCa, TestPki.Mac);

        foreach (var serial in new[] { first.Certificate.SerialNumberBytes, second.Certificate.SerialNumberBytes })
        {
            Assert.Equal(16, serial.Length);
            Assert.InRange(serial.Span[0], 0x01, 0x7F);
        }

        Assert.NotEqual(first.SerialNumber, second.SerialNumber);
        Assert.Equal(32, first.SerialNumber.Length);
    }

    [Fact]
    public void IssueDevice_Concurrently_EveryCertificateChains()
    {
        using var pki = new TestPki();
        var devices = new IssuedCertificate[16];
        Parallel.For(0, devices.Length, i => devices[i] = pki.Issuer.IssueDevice(pki.DeviceCa, MacAddress.FromBytes([0, 0x15, 0x65, 0, 0, (byte)i])));

        Assert.Equal(devices.Length, devices.Select(d => d.SerialNumber).Distinct().Count());
        foreach (var device in devices)
        {
            AssertChainsTo(device.Certificate, pki.Root.Certificate, [pki.DeviceCa.Certificate]);
            device.Dispose();
        }
    }

    [Fact]
    public void IssueDevice_Rsa_Has2048BitKeyAndKeyEncipherment()
    {
        using var pki = new TestPki();
        using var device = pki.Issuer.IssueDevice(pki.DeviceCa, TestPki.Mac, CertificateKeyAlgorithm.Rsa2048);

        using (var key = device.Certificate.GetRSAPublicKey())
        {
            Assert.Equal(2048, key!.KeySize);
        }

        Assert.Equal(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment,
            Extension<X509KeyUsageExtension>(device.Certificate).KeyUsages);
        AssertChainsTo(device.Certificate, pki.Root.Certificate, [pki.DeviceCa.Certificate]);
    }

    [Fact]
    public void IssueDevice_RsaHierarchy_ChainsToRoot()
    {
        using var pki = new TestPki();
        using var root = pki.Issuer.CreateRoot(CertificateKeyAlgorithm.Rsa2048);
        using var intermediate = pki.Issuer.CreateIntermediate(root, CertificateKeyAlgorithm.Rsa2048);
        using var device = pki.Issuer.IssueDevice(intermediate, TestPki.Mac);
        AssertChainsTo(device.Certificate, root.Certificate, [intermediate.Certificate]);
    }

    [Fact]
    public void IssueDevice_NoCrlUrl_HasNoDistributionPoint()
    {
        using var pki = new TestPki(o => o.CrlUrl = null);
        using var device = pki.Issuer.IssueDevice(pki.DeviceCa, TestPki.Mac);
        Assert.Null(device.Certificate.Extensions["2.5.29.31"]);
    }

    [Fact]
    public void IssueServer_Hosts_IpHostIsBothIpAndDnsName()
    {
        using var pki = new TestPki();
        using var server = pki.Issuer.IssueServer(pki.Root, ["127.0.0.1", "pbx.example.test", "::1"]);
        var certificate = server.Certificate;

        Assert.Equal("CN=127.0.0.1", certificate.Subject);
        var san = Extension<X509SubjectAlternativeNameExtension>(certificate);
        Assert.Equal(["127.0.0.1", "pbx.example.test"], san.EnumerateDnsNames());
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], san.EnumerateIPAddresses());
        // Only a certificate asked to act as a client too (the switch's) carries clientAuth.
        Assert.Equal([ServerAuth], Extension<X509EnhancedKeyUsageExtension>(certificate).EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value));
        using var switchCertificate = pki.Issuer.IssueServer(pki.Root, ["127.0.0.1"], alsoClientAuth: true);
        Assert.Equal([ServerAuth, ClientAuth], Extension<X509EnhancedKeyUsageExtension>(switchCertificate.Certificate).EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value));
        Assert.True(certificate.MatchesHostname("127.0.0.1"));
        Assert.True(certificate.MatchesHostname("pbx.example.test"));
        Assert.Equal(TestPki.Start.AddDays(397).UtcDateTime, certificate.NotAfter.ToUniversalTime());
        Assert.Equal(
            Extension<X509SubjectKeyIdentifierExtension>(pki.Root.Certificate).SubjectKeyIdentifierBytes.ToArray(),
            Extension<X509AuthorityKeyIdentifierExtension>(certificate).KeyIdentifier!.Value.ToArray());
        AssertChainsTo(certificate, pki.Root.Certificate, [], ServerAuth);
    }

    [Fact]
    public void IssueServer_NoHosts_Throws()
    {
        using var pki = new TestPki();
        Assert.Throws<ArgumentException>(() => pki.Issuer.IssueServer(pki.Root, []));
        Assert.Throws<ArgumentException>(() => pki.Issuer.IssueServer(pki.Root, ["pbx.example.test", " "]));
    }

    [Fact]
    public void Load_StoredAuthority_IssuesCertificatesThatChain()
    {
        using var pki = new TestPki();
        using var protector = new KeyProtector(RandomNumberGenerator.GetBytes(32));
        var purpose = KeyPurpose.CertificateAuthority(Guid.CreateVersion7());
        var protectedKey = pki.DeviceCa.ExportProtectedKey(protector, purpose);

        using var loaded = CertificateAuthority.Load(pki.DeviceCa.Certificate.RawData, protectedKey, protector, purpose, [pki.Root.Certificate]);
        using var device = pki.Issuer.IssueDevice(loaded, TestPki.Mac);

        Assert.Equal(pki.DeviceCa.Certificate.RawData, loaded.Certificate.RawData);
        Assert.True(loaded.Certificate.HasPrivateKey);
        Assert.Equal(pki.Root.Certificate.RawData, Assert.Single(loaded.Issuers).RawData);
        AssertChainsTo(device.Certificate, pki.Root.Certificate, [pki.DeviceCa.Certificate]);
    }

    [Fact]
    public void Load_OtherRowsPurpose_Throws()
    {
        using var pki = new TestPki();
        using var protector = new KeyProtector(RandomNumberGenerator.GetBytes(32));
        var protectedKey = pki.Root.ExportProtectedKey(protector, KeyPurpose.CertificateAuthority(Guid.CreateVersion7()));

        Assert.Throws<KeyProtectionException>(() => CertificateAuthority.Load(
            pki.Root.Certificate.RawData, protectedKey, protector, KeyPurpose.CertificateAuthority(Guid.CreateVersion7())));
    }

    [Fact]
    public void Load_KeyOfAnotherCertificate_Throws()
    {
        using var pki = new TestPki();
        using var protector = new KeyProtector(RandomNumberGenerator.GetBytes(32));
        var purpose = KeyPurpose.CertificateAuthority(Guid.CreateVersion7());
        var rootKey = pki.Root.ExportProtectedKey(protector, purpose);

        Assert.Throws<KeyProtectionException>(() => CertificateAuthority.Load(pki.DeviceCa.Certificate.RawData, rootKey, protector, purpose));
    }

    [Fact]
    public void Load_LeafCertificateAsAuthority_Throws()
    {
        using var pki = new TestPki();
        using var protector = new KeyProtector(RandomNumberGenerator.GetBytes(32));
        using var device = pki.Issuer.IssueDevice(pki.DeviceCa, TestPki.Mac);
        var purpose = KeyPurpose.DeviceCertificate(Guid.CreateVersion7());

        Assert.Throws<ArgumentException>(() => CertificateAuthority.Load(
            device.Certificate.RawData, device.ExportProtectedKey(protector, purpose), protector, purpose));
    }

    [Fact]
    public void IssuedCertificateLoad_StoredServerCertificate_HasKeyAndChain()
    {
        using var pki = new TestPki();
        using var protector = new KeyProtector(RandomNumberGenerator.GetBytes(32));
        using var server = pki.Issuer.IssueServer(pki.DeviceCa, ["pbx.example.test"]);
        var purpose = KeyPurpose.ServerCertificate(Guid.CreateVersion7());

        using var loaded = IssuedCertificate.Load(
            server.Certificate.RawData, server.ExportProtectedKey(protector, purpose), protector, purpose, pki.DeviceCa.Issuers.Prepend(pki.DeviceCa.Certificate));

        Assert.True(loaded.Certificate.HasPrivateKey);
        Assert.Equal(server.Fingerprint, loaded.Fingerprint);
        Assert.Equal(2, loaded.Issuers.Count);
        using var key = loaded.Certificate.GetECDsaPrivateKey()!;
        using var publicKey = server.Certificate.GetECDsaPublicKey()!;
        Assert.True(publicKey.VerifyData("x"u8, key.SignData("x"u8, HashAlgorithmName.SHA256), HashAlgorithmName.SHA256));
    }

    private static T Extension<T>(X509Certificate2 certificate) where T : X509Extension =>
        Assert.Single(certificate.Extensions.OfType<T>());

    private static void AssertChainsTo(X509Certificate2 certificate, X509Certificate2 root, X509Certificate2[] intermediates, string usage = ClientAuth)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.ExtraStore.AddRange(intermediates);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = TestPki.Start.UtcDateTime;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(usage));
        Assert.True(chain.Build(certificate), string.Join(", ", chain.ChainStatus.Select(s => s.Status)));
    }
}
