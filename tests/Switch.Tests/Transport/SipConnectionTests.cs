using Microsoft.Extensions.Time.Testing;

namespace HostedPbx.Switch.Tests.Transport;

public sealed class SipConnectionTests : IDisposable
{
    private const string Mac = "0015651a2b3c";
    private readonly TestPki _pki = new();
    private readonly CancellationTokenSource _bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

    public SipConnectionTests() => _bound.CancelAfter(TimeSpan.FromSeconds(30));

    [Fact]
    public async Task Read_CrlfCrlfPing_AnsweredWithCrlfPong()
    {
        using var device = _pki.IssueDevice(Mac);
        var harness = new TransportHarness(_pki, _pki.Directory(TestPki.Device(Mac)), TimeProvider.System);
        await using var client = await harness.ConnectAsync(device, _bound.Token);

        await TransportHarness.WriteAsync(client, "\r\n\r\n", _bound.Token);

        Assert.Equal("\r\n", await TransportHarness.ReadSomeAsync(client, _bound.Token));
    }

    [Fact]
    public async Task Read_MalformedRequest_Answered400WithReasonAndConnectionStaysOpen()
    {
        using var device = _pki.IssueDevice(Mac);
        var harness = new TransportHarness(_pki, _pki.Directory(TestPki.Device(Mac)), TimeProvider.System);
        await using var client = await harness.ConnectAsync(device, _bound.Token);

        await TransportHarness.WriteAsync(client, TlsListenerTests.Options.Replace("CSeq: 63104 OPTIONS", "CSeq: x OPTIONS", StringComparison.Ordinal), _bound.Token);
        var answer = await TransportHarness.ReadSomeAsync(client, _bound.Token);
        await TransportHarness.WriteAsync(client, TlsListenerTests.Options, _bound.Token);
        using var next = await harness.Handler.NextAsync(_bound.Token);

        Assert.StartsWith("SIP/2.0 400 ", answer, StringComparison.Ordinal);
        Assert.Contains("Call-ID: a84b4c76e66710@127.0.0.1", answer, StringComparison.Ordinal);
        Assert.NotNull(next);
    }

    [Fact]
    public async Task Read_BrokenFraming_ClosesConnection()
    {
        using var device = _pki.IssueDevice(Mac);
        var harness = new TransportHarness(_pki, _pki.Directory(TestPki.Device(Mac)), TimeProvider.System);
        await using var client = await harness.ConnectAsync(device, _bound.Token);

        await TransportHarness.WriteAsync(client, TlsListenerTests.Options.Replace("Content-Length: 0", "Content-Length: zz", StringComparison.Ordinal), _bound.Token);

        await harness.Handler.Closed.WaitAsync(_bound.Token);
        await harness.Served.WaitAsync(_bound.Token);
        Assert.Equal(0, harness.Connections.Count);
    }

    [Fact]
    public async Task Idle_NoBytesForIdleTimeout_ClosesConnection()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var device = _pki.IssueDevice(Mac);
        var harness = new TransportHarness(_pki, _pki.Directory(TestPki.Device(Mac)), time);
        await using var client = await harness.ConnectAsync(device, _bound.Token);
        await TransportHarness.WriteAsync(client, TlsListenerTests.Options, _bound.Token);
        using var first = await harness.Handler.NextAsync(_bound.Token);

        time.Advance(TimeSpan.FromSeconds(119));
        Assert.False(harness.Handler.Closed.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(2));

        await harness.Handler.Closed.WaitAsync(_bound.Token);
    }

    [Fact]
    public async Task Send_RequestToHandset_ArrivesOverSameConnection()
    {
        using var device = _pki.IssueDevice(Mac);
        var harness = new TransportHarness(_pki, _pki.Directory(TestPki.Device(Mac)), TimeProvider.System);
        await using var client = await harness.ConnectAsync(device, _bound.Token);
        await TransportHarness.WriteAsync(client, TlsListenerTests.Options, _bound.Token);
        using var request = await harness.Handler.NextAsync(_bound.Token);
        var connection = Assert.Single(harness.Connections.All);

        Assert.True(harness.Connections.TryGet(connection.Id, out var byFlow));
        byFlow.Send(request);

        Assert.StartsWith("OPTIONS sip:127.0.0.1:5061;transport=tls SIP/2.0\r\n", await TransportHarness.ReadSomeAsync(client, _bound.Token), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _bound.Dispose();
        _pki.Dispose();
    }
}
