using System.Security.Authentication;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Devices;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Devices;

namespace HostedPbx.Switch.Tests.Transport;

/// <summary>
/// The switch's TLS handshake with imported vendor CAs (real certificates, real TLS): an anchor speaks only for its
/// own vendor, so a Grandstream factory certificate carrying a Yealink handset's MAC is refused and audited.
/// </summary>
public sealed class VendorAnchorTlsTests : IDisposable
{
    private const string Mac = "0015651a2b3c";
    private readonly TestPki _pki = new();
    private readonly CertificateAuthority _grandstreamRoot;
    private readonly CertificateAuthority _grandstream;
    private readonly CancellationTokenSource _bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

    public VendorAnchorTlsTests()
    {
        _bound.CancelAfter(TimeSpan.FromSeconds(30));
        _grandstreamRoot = _pki.Issuer.CreateRoot();
        _grandstream = _pki.Issuer.CreateIntermediate(_grandstreamRoot);
    }

    [Fact]
    public async Task ServeAsync_GrandstreamCertificateForYealinkDevice_RefusedAndAudited()
    {
        using var certificate = _pki.Issuer.IssueDevice(_grandstream, MacAddress.Parse(Mac));
        var harness = new TransportHarness(_pki, Directory(DeviceVendor.Yealink), TimeProvider.System);

        try
        {
            await using var client = await harness.ConnectAsync(certificate, _bound.Token);
            // With TLS 1.3 the client finishes first and learns of the refusal on its next read.
            await TransportHarness.WriteAsync(client, TlsListenerTests.Options, _bound.Token);
            _ = await TransportHarness.ReadSomeAsync(client, _bound.Token);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
        }

        await harness.Served.WaitAsync(_bound.Token);
        Assert.Equal(0, harness.Connections.Count);
        Assert.True(harness.Audit.Reader.TryRead(out var audit));
        Assert.Equal(AuditOutcome.Denied, audit.Outcome);
        Assert.Contains("speaks for Grandstream, not for this Yealink device", audit.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServeAsync_GrandstreamCertificateForGrandstreamDevice_Accepted()
    {
        using var certificate = _pki.Issuer.IssueDevice(_grandstream, MacAddress.Parse(Mac));
        var harness = new TransportHarness(_pki, Directory(DeviceVendor.Grandstream), TimeProvider.System);

        await using var client = await harness.ConnectAsync(certificate, _bound.Token);
        await TransportHarness.WriteAsync(client, TlsListenerTests.Options, _bound.Token);
        using var message = await harness.Handler.NextAsync(_bound.Token);

        Assert.Equal("Grandstream factory CA", Assert.Single(harness.Connections.All).Device.AnchorName);
    }

    public void Dispose()
    {
        _bound.Dispose();
        _grandstream.Dispose();
        _grandstreamRoot.Dispose();
        _pki.Dispose();
    }

    private DeviceDirectory Directory(DeviceVendor deviceVendor) => new(
        [
            new DirectoryAnchor("Grandstream factory CA", _grandstream.Certificate, MacLocation.SanUri, IsVendor: true, DeviceVendor.Grandstream),
            new DirectoryAnchor("Platform device CA", _pki.DeviceCa.Certificate, MacLocation.SanUri, IsVendor: false),
        ],
        RevokedSerials.None,
        [TestPki.Device(Mac) with { Vendor = deviceVendor }]);
}
