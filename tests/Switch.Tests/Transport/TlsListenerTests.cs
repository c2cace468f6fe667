using System.Security.Authentication;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;

namespace HostedPbx.Switch.Tests.Transport;

public sealed class TlsListenerTests : IDisposable
{
    private const string Mac = "0015651a2b3c";
    private readonly TestPki _pki = new();
    private readonly CancellationTokenSource _bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

    public TlsListenerTests() => _bound.CancelAfter(TimeSpan.FromSeconds(30));

    [Fact]
    public async Task ServeAsync_EnrolledDeviceCertificate_BindsIdentityToConnection()
    {
        using var device = _pki.IssueDevice(Mac);
        var record = TestPki.Device(Mac, device.Fingerprint);
        var harness = new TransportHarness(_pki, _pki.Directory(record), TimeProvider.System);

        await using var client = await harness.ConnectAsync(device, _bound.Token);
        await TransportHarness.WriteAsync(client, Options, _bound.Token);
        using var message = await harness.Handler.NextAsync(_bound.Token);

        var connection = Assert.Single(harness.Connections.All);
        Assert.Equal(record.Id, connection.Device.DeviceId);
        Assert.Equal(record.TenantId, connection.Device.TenantId);
        Assert.Equal(Mac, connection.Device.Mac);
        Assert.Equal(device.Fingerprint, connection.Device.Fingerprint);
        Assert.Equal("Test Device CA", connection.Device.AnchorName);
        Assert.StartsWith("TLSv1.", connection.TlsVersion, StringComparison.Ordinal);
        Assert.Equal(SipMethod.Options, Assert.IsType<SipRequest>(message).Method);
    }

    [Fact]
    public async Task ServeAsync_SecondCertificateForEnrolledMac_RefusedAndAudited()
    {
        using var enrolled = _pki.IssueDevice(Mac);
        using var other = _pki.IssueDevice(Mac);
        var harness = new TransportHarness(_pki, _pki.Directory(TestPki.Device(Mac, enrolled.Fingerprint)), TimeProvider.System);

        await AssertRefusedAsync(harness, other, "not the one enrolled");
    }

    [Fact]
    public async Task ServeAsync_RenewalOfEnrolledCertificate_Accepted()
    {
        using var enrolled = _pki.IssueDevice(Mac);
        using var renewal = _pki.IssueDevice(Mac);
        var record = TestPki.Device(Mac, enrolled.Fingerprint) with { RenewalFingerprint = renewal.Fingerprint };
        var harness = new TransportHarness(_pki, _pki.Directory(record), TimeProvider.System);

        await using var client = await harness.ConnectAsync(renewal, _bound.Token);
        await TransportHarness.WriteAsync(client, Options, _bound.Token);
        using var message = await harness.Handler.NextAsync(_bound.Token);

        Assert.Equal(renewal.Fingerprint, Assert.Single(harness.Connections.All).Device.Fingerprint);
    }

    [Fact]
    public async Task ServeAsync_PlatformCertificateForUnenrolledDevice_RefusedAndAudited()
    {
        using var device = _pki.IssueDevice(Mac);
        var harness = new TransportHarness(_pki, _pki.Directory(vendor: false, TestPki.Device(Mac)), TimeProvider.System);

        await AssertRefusedAsync(harness, device, "never enrolled");
    }

    [Fact]
    public async Task ServeAsync_UnknownMac_RefusedAndAudited()
    {
        using var device = _pki.IssueDevice(Mac);
        var harness = new TransportHarness(_pki, _pki.Directory(TestPki.Device("001122334455")), TimeProvider.System);

        await AssertRefusedAsync(harness, device, "no device with this MAC");
    }

    [Fact]
    public async Task ServeAsync_DisabledDevice_RefusedAndAudited()
    {
        using var device = _pki.IssueDevice(Mac);
        var harness = new TransportHarness(_pki, _pki.Directory(TestPki.Device(Mac, active: false)), TimeProvider.System);

        await AssertRefusedAsync(harness, device, "device not active");
    }

    [Fact]
    public async Task ServeAsync_SuspendedTenant_RefusedAndAudited()
    {
        using var device = _pki.IssueDevice(Mac);
        var harness = new TransportHarness(_pki, _pki.Directory(TestPki.Device(Mac, tenantActive: false)), TimeProvider.System);

        await AssertRefusedAsync(harness, device, "tenant not active");
    }

    [Fact]
    public async Task ServeAsync_CertificateFromUnknownCa_RefusedAndAudited()
    {
        using var strangerRoot = _pki.Issuer.CreateRoot();
        using var stranger = _pki.Issuer.IssueDevice(strangerRoot, Data.Devices.MacAddress.Parse(Mac));
        var harness = new TransportHarness(_pki, _pki.Directory(TestPki.Device(Mac)), TimeProvider.System);

        await AssertRefusedAsync(harness, stranger, "UntrustedIssuer");
    }

    [Fact]
    public async Task ServeAsync_NoClientCertificate_RefusedAndAudited()
    {
        var harness = new TransportHarness(_pki, _pki.Directory(TestPki.Device(Mac)), TimeProvider.System);

        await AssertRefusedAsync(harness, null, "");
    }

    private async Task AssertRefusedAsync(TransportHarness harness, Data.Certificates.IssuedCertificate? device, string reason)
    {
        try
        {
            await using var client = await harness.ConnectAsync(device, _bound.Token);
            // With TLS 1.3 the client finishes first and learns of the refusal on its next read.
            await TransportHarness.WriteAsync(client, Options, _bound.Token);
            _ = await TransportHarness.ReadSomeAsync(client, _bound.Token);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
        }

        await harness.Served.WaitAsync(_bound.Token);
        Assert.Equal(0, harness.Connections.Count);
        Assert.True(harness.Audit.Reader.TryRead(out var audit));
        Assert.Equal(AuditOutcome.Denied, audit.Outcome);
        Assert.Equal("sip.tls.handshake", audit.Action);
        Assert.Contains(reason, audit.Reason, StringComparison.Ordinal);
    }

    internal const string Options =
        "OPTIONS sip:127.0.0.1:5061;transport=tls SIP/2.0\r\n"
        + "Via: SIP/2.0/TLS 127.0.0.1:40000;branch=z9hG4bK776asdhds\r\n"
        + "Max-Forwards: 70\r\n"
        + "To: <sip:127.0.0.1>\r\n"
        + "From: <sip:201@127.0.0.1>;tag=1928301774\r\n"
        + "Call-ID: a84b4c76e66710@127.0.0.1\r\n"
        + "CSeq: 63104 OPTIONS\r\n"
        + "Content-Length: 0\r\n\r\n";

    public void Dispose()
    {
        _bound.Dispose();
        _pki.Dispose();
    }
}
