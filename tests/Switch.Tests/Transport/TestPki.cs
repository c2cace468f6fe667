using System.Net.Security;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Devices;
using HostedPbx.Switch.Devices;
using Microsoft.Extensions.Options;

namespace HostedPbx.Switch.Tests.Transport;

/// <summary>A real root, device CA and server certificate, made once per test class.</summary>
internal sealed class TestPki : IDisposable
{
    public TestPki()
    {
        Issuer = new CertificateIssuer(Options.Create(new CertificateAuthorityOptions()), TimeProvider.System);
        Root = Issuer.CreateRoot();
        DeviceCa = Issuer.CreateIntermediate(Root);
        Server = Issuer.IssueServer(Root, ["127.0.0.1"], alsoClientAuth: true);
        ServerContext = SslStreamCertificateContext.Create(Server.Certificate, [], offline: true);
    }

    public CertificateIssuer Issuer { get; }

    public CertificateAuthority Root { get; }

    public CertificateAuthority DeviceCa { get; }

    public IssuedCertificate Server { get; }

    public SslStreamCertificateContext ServerContext { get; }

    private readonly Dictionary<string, string> _claims = [];

    /// <summary>A device certificate; its serial becomes the proof of claim of <see cref="Directory(DirectoryDevice[])"/>'s device with this MAC.</summary>
    public IssuedCertificate IssueDevice(string mac)
    {
        var issued = Issuer.IssueDevice(DeviceCa, MacAddress.Parse(mac));
        _claims[mac] = FactorySerial.Normalize(issued.SerialNumber)!;
        return issued;
    }

    /// <summary>The test CAs as vendor anchors (their certificates may be used before enrolment).</summary>
    public DeviceDirectory Directory(params DirectoryDevice[] devices) => Directory(vendor: true, devices);

    public DeviceDirectory Directory(bool vendor, params DirectoryDevice[] devices) => new(
        [new DirectoryAnchor("Test Root", Root.Certificate, MacLocation.SanUri, vendor), new DirectoryAnchor("Test Device CA", DeviceCa.Certificate, MacLocation.SanUri, vendor)],
        RevokedSerials.None,
        // Claimed with the serial of the last certificate issued for the MAC, as a reseller copies it from the box.
        devices.Select(d => d.FactorySerial is null && _claims.TryGetValue(d.Mac, out var serial) ? d with { FactorySerial = serial } : d));

    /// <summary>A new snapshot in which <paramref name="revoked"/> (issued by the device CA) is revoked.</summary>
    public DeviceDirectory DirectoryRevoking(IssuedCertificate revoked, params DirectoryDevice[] devices) => new(
        [new DirectoryAnchor("Test Root", Root.Certificate, MacLocation.SanUri), new DirectoryAnchor("Test Device CA", DeviceCa.Certificate, MacLocation.SanUri)],
        new RevokedSerials([(CertificateIdentity.Sha256Fingerprint(DeviceCa.Certificate), revoked.SerialNumber)]),
        devices);

    public static DirectoryDevice Device(string mac, string? fingerprint = null, bool active = true, bool tenantActive = true, params string[] extensions) =>
        new(Guid.CreateVersion7(), Guid.CreateVersion7(), mac, active, tenantActive, fingerprint, extensions.Length == 0 ? ["201"] : extensions);

    public void Dispose()
    {
        Server.Dispose();
        DeviceCa.Dispose();
        Root.Dispose();
    }
}
