using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using HostedPbx.Data.Certificates;

namespace HostedPbx.Switch.Benchmarks;

/// <summary>
/// What the switch's handshake spends deciding whether a handset's certificate chains to an anchor on record (issue 13
/// item 4: a reconnect storm is full handshakes). The platform's device CA is an intermediate, which X509Chain on Linux
/// does not take as a root, so its link is verified by hand: by the BCL for ECDSA (the platform's keys), by
/// BouncyCastle for an algorithm the BCL path does not take (here RSA-PSS). Beside them, the chain the runtime builds
/// for every client certificate against the system's trust store before the switch's callback runs.
/// </summary>
[MemoryDiagnoser]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet's GlobalCleanup disposes them.")]
public class HandsetCertificateBenchmarks
{
    private static readonly DateTimeOffset s_now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private readonly List<X509Certificate2> _owned = [];
    private X509Certificate2 _ecdsaAnchor = null!;
    private X509Certificate2 _ecdsaLeaf = null!;
    private X509Certificate2 _pssAnchor = null!;
    private X509Certificate2 _pssLeaf = null!;

    [GlobalSetup]
    public void Setup()
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var root = Own(Authority(new CertificateRequest("CN=Bench root", rootKey, HashAlgorithmName.SHA384)).CreateSelfSigned(s_now.AddYears(-1), s_now.AddYears(10)));
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _ecdsaAnchor = Own(Authority(new CertificateRequest("CN=Bench device CA", caKey, HashAlgorithmName.SHA256))
            .Create(root.SubjectName, X509SignatureGenerator.CreateForECDsa(rootKey), s_now.AddYears(-1), s_now.AddYears(5), [1]));
        _ecdsaLeaf = Own(Leaf(X509SignatureGenerator.CreateForECDsa(caKey), _ecdsaAnchor));

        using var pssKey = RSA.Create(2048);
        _pssAnchor = Own(Authority(new CertificateRequest("CN=Bench PSS vendor CA", pssKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pss))
            .Create(root.SubjectName, X509SignatureGenerator.CreateForECDsa(rootKey), s_now.AddYears(-1), s_now.AddYears(5), [2]));
        _pssLeaf = Own(Leaf(X509SignatureGenerator.CreateForRSA(pssKey, RSASignaturePadding.Pss), _pssAnchor));
        if (!PlatformDeviceCa() || !RsaPssVendorCa())
        {
            throw new InvalidOperationException("The benchmark's chains must be trusted, or it measures a refusal.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _owned.ForEach(c => c.Dispose());

    /// <summary>A platform-issued handset: ECDSA P-256 leaf under the device CA (an intermediate anchor), the BCL's check.</summary>
    [Benchmark(Baseline = true)]
    public bool PlatformDeviceCa() =>
        ClientCertificateValidator.ValidateAt(_ecdsaLeaf, null, [_ecdsaAnchor], RevokedSerials.None, s_now.UtcDateTime).IsTrusted;

    /// <summary>The same chain shape signed with RSA-PSS: the link is checked by BouncyCastle.</summary>
    [Benchmark]
    public bool RsaPssVendorCa() =>
        ClientCertificateValidator.ValidateAt(_pssLeaf, null, [_pssAnchor], RevokedSerials.None, s_now.UtcDateTime).IsTrusted;

    /// <summary>The platform handset's device-CA link as it was checked before: by BouncyCastle's managed arithmetic.</summary>
    [Benchmark]
    public bool PlatformDeviceCaLinkByBouncyCastle() =>
        new Org.BouncyCastle.X509.X509Certificate(_ecdsaLeaf.RawData).IsSignatureValid(new Org.BouncyCastle.X509.X509Certificate(_ecdsaAnchor.RawData).GetPublicKey());

    /// <summary>The chain the runtime builds for a client certificate by default, against the system's trust store.</summary>
    [Benchmark]
    public int RuntimeChainSystemTrust() => RuntimeChain(new X509ChainPolicy { RevocationMode = X509RevocationMode.NoCheck });

    /// <summary>The same with the policy the switch gives the runtime: no trust store to search (the switch decides itself).</summary>
    [Benchmark]
    public int RuntimeChainSwitchPolicy() => RuntimeChain(TlsChainPolicy.ForRemoteCertificate());

    private int RuntimeChain(X509ChainPolicy policy)
    {
        using var chain = new X509Chain { ChainPolicy = policy };
        chain.ChainPolicy.ExtraStore.Add(_ecdsaAnchor);
        chain.Build(_ecdsaLeaf);
        var length = chain.ChainElements.Count;
        foreach (var element in chain.ChainElements)
        {
            element.Certificate.Dispose();
        }

        return length;
    }

    private X509Certificate2 Own(X509Certificate2 certificate)
    {
        _owned.Add(certificate);
        return certificate;
    }

    private static CertificateRequest Authority(CertificateRequest request)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }

    private static X509Certificate2 Leaf(X509SignatureGenerator issuerKey, X509Certificate2 issuer)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=001565aabbcc", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        return request.Create(issuer.SubjectName, issuerKey, s_now.AddDays(-1), s_now.AddYears(1), [3]);
    }
}
