using System.Net.Security;
using HostedPbx.Data.Entities;
using Microsoft.Extensions.Time.Testing;

namespace HostedPbx.Switch.Tests.Transport;

/// <summary>
/// What one device or one address can hold of the switch: connections, handshakes in progress, and a message begun
/// and never finished (a slow header). The harness's limits are small: 2 connections per device, 3 handshakes per address.
/// </summary>
public sealed class ConnectionLimitsTests : IDisposable
{
    private const string Mac = "0015651a2b3c";
    private readonly TestPki _pki = new();
    private readonly CancellationTokenSource _bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

    public ConnectionLimitsTests() => _bound.CancelAfter(TimeSpan.FromSeconds(30));

    [Fact]
    public async Task ServeAsync_DeviceAtItsConnectionLimit_NextConnectionRefusedAndAudited()
    {
        using var device = _pki.IssueDevice(Mac);
        var harness = new TransportHarness(_pki, _pki.Directory(TestPki.Device(Mac, device.Fingerprint)), TimeProvider.System);
        await using var first = await OpenAsync(harness, device);
        await using var second = await OpenAsync(harness, device);

        await using var third = await harness.ConnectAsync(device, _bound.Token);
        await harness.Served.WaitAsync(_bound.Token);

        Assert.Equal(2, harness.Connections.Count);
        Assert.Equal(0, await ReadOrEndAsync(third));
        Assert.True(harness.Audit.Reader.TryRead(out var audit));
        Assert.Equal("sip.tls.connection", audit.Action);
        Assert.Equal(AuditOutcome.Denied, audit.Outcome);
        Assert.Contains("already holds 2 connections", audit.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServeAsync_DeviceAtItsLimit_ClosingOneLetsTheNextInAndAnotherDeviceIsNotCountedAgainstIt()
    {
        const string otherMac = "0015651a2b3d";
        using var device = _pki.IssueDevice(Mac);
        using var other = _pki.IssueDevice(otherMac);
        var harness = new TransportHarness(
            _pki, _pki.Directory(TestPki.Device(Mac, device.Fingerprint), TestPki.Device(otherMac, other.Fingerprint)), TimeProvider.System);
        var first = await OpenAsync(harness, device);
        var firstServed = harness.Served;
        await using var second = await OpenAsync(harness, device);
        await using var otherDevice = await OpenAsync(harness, other);

        await first.DisposeAsync();
        await firstServed.WaitAsync(_bound.Token);
        Assert.Equal(2, harness.Connections.Count);
        await using var again = await OpenAsync(harness, device);

        Assert.Equal(3, harness.Connections.Count);
        Assert.False(harness.Audit.Reader.TryRead(out _));
    }

    [Fact]
    public async Task ServeAsync_HandshakesInProgressAtTheAddressLimit_NextRefusedAtOnceAndTheFloodAuditedOnce()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var harness = new TransportHarness(_pki, _pki.Directory(TestPki.Device(Mac)), time);
        var pending = new List<Task>();
        var clients = new List<DuplexPipeStream>();
        for (var i = 0; i < 3; i++)
        {
            var (client, server) = DuplexPipeStream.CreatePair();
            clients.Add(client);
            // Up to the first read of a ClientHello that never comes.
            pending.Add(harness.Listener.ServeAsync(server, TransportHarness.Remote, _bound.Token));
        }

        var (extraClient, extraServer) = DuplexPipeStream.CreatePair();
        await harness.Listener.ServeAsync(extraServer, TransportHarness.Remote, _bound.Token);
        var (secondClient, secondServer) = DuplexPipeStream.CreatePair();
        await harness.Listener.ServeAsync(secondServer, TransportHarness.Remote, _bound.Token);

        Assert.All(pending, p => Assert.False(p.IsCompleted));
        Assert.Equal(3, harness.Listener.HandshakesInProgress(TransportHarness.Remote.Address));
        Assert.True(harness.Audit.Reader.TryRead(out var audit));
        Assert.Equal("sip.tls.handshake", audit.Action);
        Assert.Contains("more than 3 TLS handshakes", audit.Reason, StringComparison.Ordinal);
        Assert.False(harness.Audit.Reader.TryRead(out _), "each refused connection of a flood was audited");
        foreach (var client in clients.Append(extraClient).Append(secondClient))
        {
            await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task ServeAsync_HandshakeNotFinishedInTime_DroppedAndAudited()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var harness = new TransportHarness(_pki, _pki.Directory(TestPki.Device(Mac)), time);
        var (client, server) = DuplexPipeStream.CreatePair();
        await using var _ = client;
        var served = harness.Listener.ServeAsync(server, TransportHarness.Remote, _bound.Token);

        time.Advance(TransportHarness.Limits.HandshakeTimeout - TimeSpan.FromSeconds(1));
        Assert.False(served.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await served.WaitAsync(_bound.Token);

        Assert.Equal(0, harness.Listener.HandshakesInProgress(TransportHarness.Remote.Address));
        Assert.True(harness.Audit.Reader.TryRead(out var audit));
        Assert.Equal("sip.tls.handshake", audit.Action);
        Assert.Contains("not finished within 10 s", audit.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_HalfAHeaderForThePartialMessageTimeout_ClosesConnection()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var device = _pki.IssueDevice(Mac);
        var harness = new TransportHarness(_pki, _pki.Directory(TestPki.Device(Mac, device.Fingerprint)), time);
        await using var client = await harness.ConnectAsync(device, _bound.Token);
        // A whole request, then half of the next one's header, as a slowloris sends it; the whole one is the sign that the
        // switch has read both.
        var half = TlsListenerTests.Options[..TlsListenerTests.Options.IndexOf("Call-ID", StringComparison.Ordinal)];
        await TransportHarness.WriteAsync(client, TlsListenerTests.Options + half, _bound.Token);
        using var first = await harness.Handler.NextAsync(_bound.Token);

        time.Advance(TransportHarness.Limits.PartialMessageTimeout - TimeSpan.FromSeconds(1));
        Assert.False(harness.Handler.Closed.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        await harness.Handler.Closed.WaitAsync(_bound.Token);
        await harness.Served.WaitAsync(_bound.Token);
        Assert.Equal(0, harness.Connections.Count);
    }

    [Fact]
    public async Task Read_MessageFinishedBeforeThePartialMessageTimeout_ConnectionStaysOpen()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var device = _pki.IssueDevice(Mac);
        var harness = new TransportHarness(_pki, _pki.Directory(TestPki.Device(Mac, device.Fingerprint)), time);
        await using var client = await harness.ConnectAsync(device, _bound.Token);
        var split = TlsListenerTests.Options.IndexOf("Call-ID", StringComparison.Ordinal);
        await TransportHarness.WriteAsync(client, TlsListenerTests.Options + TlsListenerTests.Options[..split], _bound.Token);
        using var first = await harness.Handler.NextAsync(_bound.Token);

        time.Advance(TransportHarness.Limits.PartialMessageTimeout - TimeSpan.FromSeconds(1));
        await TransportHarness.WriteAsync(client, TlsListenerTests.Options[split..], _bound.Token);
        using var second = await harness.Handler.NextAsync(_bound.Token);
        time.Advance(TransportHarness.Limits.PartialMessageTimeout);

        Assert.False(harness.Handler.Closed.IsCompleted);
        Assert.Single(harness.Connections.All);
    }

    private async Task<SslStream> OpenAsync(TransportHarness harness, Data.Certificates.IssuedCertificate device)
    {
        var client = await harness.ConnectAsync(device, _bound.Token);
        await TransportHarness.WriteAsync(client, TlsListenerTests.Options, _bound.Token);
        using var first = await harness.Handler.NextAsync(_bound.Token);
        return client;
    }

    private async Task<int> ReadOrEndAsync(SslStream client)
    {
        try
        {
            return await client.ReadAsync(new byte[16], _bound.Token);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    public void Dispose()
    {
        _bound.Dispose();
        _pki.Dispose();
    }
}
