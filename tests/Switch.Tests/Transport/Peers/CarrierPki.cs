using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data.Certificates;

namespace HostedPbx.Switch.Tests.Transport.Peers;

/// <summary>A carrier's own CA (not the platform's) and its SBC certificates, made once per test class.</summary>
internal sealed class CarrierPki : IDisposable
{
    public const string SbcName = "sbc.carrier.test";

    private readonly List<IDisposable> _owned = [];

    public CarrierPki(CertificateIssuer issuer)
    {
        Issuer = issuer;
        Root = issuer.CreateRoot();
        Sbc = Issue(SbcName, "127.0.0.1");
    }

    public CertificateIssuer Issuer { get; }

    public CertificateAuthority Root { get; }

    /// <summary>The carrier SBC's certificate, for <see cref="SbcName"/> and 127.0.0.1 (server and client use).</summary>
    public IssuedCertificate Sbc { get; }

    /// <summary>The carrier's root as the operator configures it (Switch:CarrierTrustAnchorPath).</summary>
    public X509Certificate2Collection Anchors => [Root.Certificate];

    public IssuedCertificate Issue(params string[] names)
    {
        // A carrier's SBC is a server to the switch and a client when it calls in.
        var issued = Issuer.IssueServer(Root, names, alsoClientAuth: true);
        _owned.Add(issued);
        return issued;
    }

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        Root.Dispose();
    }
}
