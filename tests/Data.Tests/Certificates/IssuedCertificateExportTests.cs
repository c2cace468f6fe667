using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Tests.Certificates.Support;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;

namespace HostedPbx.Data.Tests.Certificates;

public sealed class IssuedCertificateExportTests
{
    private const string Password = "correct horse";
    private const string Pbes2 = "1.2.840.113549.1.5.13";
    private const string Aes256Cbc = "2.16.840.1.101.3.4.1.42";
    private const string HmacWithSha256 = "1.2.840.113549.2.9";
    private const string Sha256 = "2.16.840.1.101.3.4.2.1";
    private const string TripleDesSha1 = "1.2.840.113549.1.12.1.3";
    private const string Sha1 = "1.3.14.3.2.26";

    [Fact]
    public void CertificatePemAndPrivateKeyPem_Together_LoadWithKey()
    {
        using var pki = new TestPki();
        using var device = pki.Issuer.IssueDevice(pki.DeviceCa, TestPki.Mac);

        var keyPem = device.PrivateKeyPem();
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", keyPem, StringComparison.Ordinal);
        using var loaded = X509Certificate2.CreateFromPem(device.CertificatePem(), keyPem);
        Assert.True(loaded.HasPrivateKey);
        Assert.Equal(device.Certificate.RawData, loaded.RawData);
    }

    [Fact]
    public void CombinedPem_Always_IsLeafThenIntermediateThenKeyWithoutRoot()
    {
        using var pki = new TestPki();
        using var device = pki.Issuer.IssueDevice(pki.DeviceCa, TestPki.Mac);

        var pem = device.CombinedPem();
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPem(pem);
        Assert.Equal([device.Certificate.RawData, pki.DeviceCa.Certificate.RawData], certificates.Select(c => c.RawData));
        Assert.True(pem.IndexOf("BEGIN PRIVATE KEY", StringComparison.Ordinal) > pem.LastIndexOf("END CERTIFICATE", StringComparison.Ordinal));
        using var loaded = X509Certificate2.CreateFromPem(pem, pem);
        Assert.True(loaded.HasPrivateKey);
        Assert.Equal(device.Certificate.RawData, loaded.RawData);
    }

    [Fact]
    public void ChainPem_Always_IsIssuingCaThenRoot()
    {
        using var pki = new TestPki();
        using var device = pki.Issuer.IssueDevice(pki.DeviceCa, TestPki.Mac);

        var chain = new X509Certificate2Collection();
        chain.ImportFromPem(device.ChainPem());
        Assert.Equal([pki.DeviceCa.Certificate.RawData, pki.Root.Certificate.RawData], chain.Select(c => c.RawData));
        Assert.All(chain, c => Assert.False(c.HasPrivateKey));
    }

    [Theory]
    [InlineData(Pkcs12Format.Modern, CertificateKeyAlgorithm.EcdsaP256)]
    [InlineData(Pkcs12Format.Legacy, CertificateKeyAlgorithm.EcdsaP256)]
    [InlineData(Pkcs12Format.Legacy, CertificateKeyAlgorithm.Rsa2048)]
    public void ExportPkcs12_AnyFormat_ReimportsWithKeyAndIntermediate(Pkcs12Format format, CertificateKeyAlgorithm algorithm)
    {
        using var pki = new TestPki();
        using var device = pki.Issuer.IssueDevice(pki.DeviceCa, TestPki.Mac, algorithm);

        var pfx = device.ExportPkcs12(Password, format);
        var collection = X509CertificateLoader.LoadPkcs12Collection(pfx, Password);

        var leaf = Assert.Single(collection, c => c.HasPrivateKey);
        Assert.Equal(device.Certificate.RawData, leaf.RawData);
        Assert.Equal(2, collection.Count);
        Assert.Contains(collection, c => c.RawData.AsSpan().SequenceEqual(pki.DeviceCa.Certificate.RawData));
        using var key = (AsymmetricAlgorithm?)leaf.GetECDsaPrivateKey() ?? leaf.GetRSAPrivateKey();
        Assert.NotNull(key);
    }

    [Theory]
    [InlineData(Pkcs12Format.Modern)]
    [InlineData(Pkcs12Format.Legacy)]
    public void ExportPkcs12_WrongPassword_DoesNotLoad(Pkcs12Format format)
    {
        using var pki = new TestPki();
        using var device = pki.Issuer.IssueDevice(pki.DeviceCa, TestPki.Mac);

        var pfx = device.ExportPkcs12(Password, format);
        Assert.ThrowsAny<CryptographicException>(() => X509CertificateLoader.LoadPkcs12(pfx, "wrong"));
    }

    [Fact]
    public void ExportPkcs12_Modern_UsesPbes2Aes256AndSha256Mac()
    {
        using var pki = new TestPki();
        using var device = pki.Issuer.IssueDevice(pki.DeviceCa, TestPki.Mac);

        var (mac, encryptions) = Inspect(device.ExportPkcs12(Password, Pkcs12Format.Modern));

        Assert.Equal(Sha256, mac);
        Assert.Equal(2, encryptions.Count); // the certificate bag and the shrouded key bag
        Assert.All(encryptions, algorithm =>
        {
            Assert.Equal(Pbes2, algorithm.Algorithm.Id);
            var parameters = PbeS2Parameters.GetInstance(algorithm.Parameters);
            Assert.Equal(Aes256Cbc, parameters.EncryptionScheme.Algorithm.Id);
            Assert.Equal(HmacWithSha256, Pbkdf2Params.GetInstance(parameters.KeyDerivationFunc.Parameters).Prf.Algorithm.Id);
        });
    }

    [Fact]
    public void ExportPkcs12_Legacy_UsesTripleDesAndSha1Mac()
    {
        using var pki = new TestPki();
        using var device = pki.Issuer.IssueDevice(pki.DeviceCa, TestPki.Mac);

        var (mac, encryptions) = Inspect(device.ExportPkcs12(Password, Pkcs12Format.Legacy));

        Assert.Equal(Sha1, mac);
        Assert.Equal(2, encryptions.Count);
        Assert.All(encryptions, algorithm => Assert.Equal(TripleDesSha1, algorithm.Algorithm.Id));
    }

    /// <summary>The MAC digest and every encryption algorithm (encrypted bags and shrouded keys) of a PFX (RFC 7292 §4).</summary>
    private static (string Mac, List<Org.BouncyCastle.Asn1.X509.AlgorithmIdentifier> Encryptions) Inspect(byte[] pfxBytes)
    {
        var pfx = Pfx.GetInstance(Asn1Object.FromByteArray(pfxBytes));
        var encryptions = new List<Org.BouncyCastle.Asn1.X509.AlgorithmIdentifier>();
        var authenticatedSafe = AuthenticatedSafe.GetInstance(Asn1OctetString.GetInstance(pfx.AuthSafe.Content).GetOctets());
        foreach (var content in authenticatedSafe.GetContentInfo())
        {
            if (content.ContentType.Equals(PkcsObjectIdentifiers.EncryptedData))
            {
                encryptions.Add(EncryptedData.GetInstance(content.Content).EncryptionAlgorithm);
                continue;
            }

            var bags = Asn1Sequence.GetInstance(Asn1OctetString.GetInstance(content.Content).GetOctets());
            foreach (var element in bags)
            {
                var bag = SafeBag.GetInstance(element);
                if (bag.BagID.Equals(PkcsObjectIdentifiers.Pkcs8ShroudedKeyBag))
                {
                    encryptions.Add(EncryptedPrivateKeyInfo.GetInstance(bag.BagValue).EncryptionAlgorithm);
                }
            }
        }

        return (pfx.MacData.Mac.DigestAlgorithm.Algorithm.Id, encryptions);
    }
}
