using HostedPbx.Data.Entities;

namespace HostedPbx.Switch.Tests.Transport;

/// <summary>
/// Identity holds for the life of a connection: an admin's change reaches connections that are already open, over real
/// TLS with real certificates (DESIGN "Identity of a handset" step 7).
/// </summary>
public sealed class IdentityGateTests : IDisposable
{
    private const string Mac = "0015651a2b3c";
    private readonly TestPki _pki = new();
    private readonly CancellationTokenSource _bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

    public IdentityGateTests() => _bound.CancelAfter(TimeSpan.FromSeconds(30));

    [Fact]
    public async Task Request_DeviceDisabledSinceHandshake_Answered403AndClosed()
    {
        using var device = _pki.IssueDevice(Mac);
        var record = TestPki.Device(Mac, device.Fingerprint);
        var harness = new TransportHarness(_pki, _pki.Directory(record), TimeProvider.System);
        await using var client = await OpenAsync(harness, device);

        harness.Directory = _pki.Directory(record with { IsActive = false });
        await TransportHarness.WriteAsync(client, TlsListenerTests.Options, _bound.Token);

        var answer = await TransportHarness.ReadSomeAsync(client, _bound.Token);
        Assert.StartsWith("SIP/2.0 403 Forbidden\r\n", answer, StringComparison.Ordinal);
        await harness.Handler.Closed.WaitAsync(_bound.Token);
        await harness.Served.WaitAsync(_bound.Token);
        Assert.Equal(0, harness.Connections.Count);
        AssertAudited(harness, "device not active");
    }

    [Fact]
    public async Task Response_DeviceDisabledSinceHandshake_DroppedUnansweredAndClosed()
    {
        using var device = _pki.IssueDevice(Mac);
        var record = TestPki.Device(Mac, device.Fingerprint);
        var harness = new TransportHarness(_pki, _pki.Directory(record), TimeProvider.System);
        await using var client = await OpenAsync(harness, device);

        harness.Directory = _pki.Directory(record with { IsActive = false });
        await TransportHarness.WriteAsync(client, "SIP/2.0 200 OK\r\nVia: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bKsw1\r\nTo: <sip:201@127.0.0.1>;tag=a\r\n"
            + "From: <sip:202@127.0.0.1>;tag=b\r\nCall-ID: c1\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n", _bound.Token);

        await harness.Handler.Closed.WaitAsync(_bound.Token);
        Assert.Equal(0, await client.ReadAsync(new byte[64], _bound.Token));
        AssertAudited(harness, "device not active");
    }

    [Fact]
    public async Task OnDirectoryChanged_CertificateRevoked_ClosesTheOpenConnection()
    {
        using var device = _pki.IssueDevice(Mac);
        var record = TestPki.Device(Mac, device.Fingerprint);
        var harness = new TransportHarness(_pki, _pki.Directory(record), TimeProvider.System);
        await using var client = await OpenAsync(harness, device);

        harness.Directory = _pki.DirectoryRevoking(device, record);
        harness.Gate.OnDirectoryChanged(harness.Directory);

        await harness.Handler.Closed.WaitAsync(_bound.Token);
        await harness.Served.WaitAsync(_bound.Token);
        Assert.Equal(0, harness.Connections.Count);
        Assert.Equal(0, await client.ReadAsync(new byte[16], _bound.Token));
        AssertAudited(harness, "Revoked");
    }

    [Fact]
    public async Task OnDirectoryChanged_TenantSuspended_ClosesTheOpenConnection()
    {
        using var device = _pki.IssueDevice(Mac);
        var record = TestPki.Device(Mac, device.Fingerprint);
        var harness = new TransportHarness(_pki, _pki.Directory(record), TimeProvider.System);
        await using var client = await OpenAsync(harness, device);

        harness.Directory = _pki.Directory(record with { TenantIsActive = false });
        harness.Gate.OnDirectoryChanged(harness.Directory);

        await harness.Handler.Closed.WaitAsync(_bound.Token);
        AssertAudited(harness, "tenant not active");
    }

    [Fact]
    public async Task OnDirectoryChanged_LineUnbound_DeviceKeepsOnlyItsCurrentLines()
    {
        using var device = _pki.IssueDevice(Mac);
        var record = TestPki.Device(Mac, device.Fingerprint, extensions: ["201", "202"]);
        var harness = new TransportHarness(_pki, _pki.Directory(record), TimeProvider.System);
        await using var client = await OpenAsync(harness, device);
        var connection = Assert.Single(harness.Connections.All);
        Assert.Equal(["201", "202"], connection.Device.Extensions);

        harness.Directory = _pki.Directory(record with { Extensions = ["201"] });
        harness.Gate.OnDirectoryChanged(harness.Directory);

        Assert.Equal(["201"], connection.Device.Extensions);
        Assert.Equal(["201"], connection.Flow.Device.Extensions);
        var (connectionId, lines) = Assert.Single(harness.LinesSeen);
        Assert.Equal(connection.Id, connectionId);
        Assert.Equal(["201"], lines);
        Assert.False(connection.IsClosed);
    }

    [Fact]
    public async Task OnDirectoryChanged_NothingAboutTheDeviceChanged_ConnectionStaysOpen()
    {
        using var device = _pki.IssueDevice(Mac);
        var record = TestPki.Device(Mac, device.Fingerprint);
        var harness = new TransportHarness(_pki, _pki.Directory(record), TimeProvider.System);
        await using var client = await OpenAsync(harness, device);

        harness.Directory = _pki.Directory(record, TestPki.Device("001122334455"));
        harness.Gate.OnDirectoryChanged(harness.Directory);
        await TransportHarness.WriteAsync(client, TlsListenerTests.Options, _bound.Token);

        using var next = await harness.Handler.NextAsync(_bound.Token);
        Assert.False(harness.Handler.Closed.IsCompleted);
        Assert.False(harness.Audit.Reader.TryRead(out _));
    }

    private async Task<System.Net.Security.SslStream> OpenAsync(TransportHarness harness, Data.Certificates.IssuedCertificate device)
    {
        var client = await harness.ConnectAsync(device, _bound.Token);
        await TransportHarness.WriteAsync(client, TlsListenerTests.Options, _bound.Token);
        using var first = await harness.Handler.NextAsync(_bound.Token);
        return client;
    }

    private static void AssertAudited(TransportHarness harness, string reason)
    {
        Assert.True(harness.Audit.Reader.TryRead(out var audit), "no audit event");
        Assert.Equal(AuditOutcome.Denied, audit.Outcome);
        Assert.Equal("sip.connection", audit.Action);
        Assert.Contains(reason, audit.Reason, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _bound.Dispose();
        _pki.Dispose();
    }
}
