using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HostedPbx.Testing;

/// <summary>
/// A stranger's client certificate whose AIA extension (RFC 5280 §4.2.2.1) names an issuer URL on a loopback listener
/// of the test's, sent without its issuer, so the chain is incomplete and the URL is the only way to the next link:
/// <see cref="WasContacted"/> tells whether the server went there.
/// </summary>
public sealed class IssuerUrlTrap : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly X509Certificate2 _leaf;

    public IssuerUrlTrap(string commonName)
    {
        _listener.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/issuer.cer";
        // One reading of the clock for both: read twice, the leaf's end could fall a second after its issuer's.
        var now = DateTimeOffset.UtcNow;
        using var issuerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var issuerRequest = new CertificateRequest("CN=Stranger CA", issuerKey, HashAlgorithmName.SHA256);
        issuerRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var issuer = issuerRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension(null, [url]));
        using var signed = request.Create(issuer, now.AddDays(-1), now.AddDays(30), [9, 9]);
        using var withKey = signed.CopyWithPrivateKey(key);
        _leaf = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>The certificate, its issuer left out (and not looked up by its own side either: offline).</summary>
    public SslStreamCertificateContext ClientContext => SslStreamCertificateContext.Create(_leaf, [], offline: true);

    /// <summary>Whether anything connected to the URL the certificate names.</summary>
    public bool WasContacted => _listener.Pending();

    public void Dispose()
    {
        _listener.Dispose();
        _leaf.Dispose();
    }
}
