using HostedPbx.Switch.Sip.Syntax;
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

    [Theory]
    // RFC 3261 §18.3: the message's end is unknown, but its head arrived whole, so it is answered before the close.
    [InlineData("Content-Length: zz", "400 Bad Request - Invalid Content-Length")]
    [InlineData("Content-Length: 0\r\nl: 0", "400 Bad Request - Duplicate Content-Length")]
    [InlineData("Content-Length: 70000", "513 Message Too Large")]
    [InlineData("X-Filler: x", "400 Bad Request - Missing Content-Length")]
    public async Task Read_BrokenFramingWithAWholeHead_AnsweredThenClosed(string contentLength, string statusLine)
    {
        var request = TlsListenerTests.Options.Replace("Content-Length: 0", contentLength, StringComparison.Ordinal);

        await AssertAnsweredThenClosedAsync(request, statusLine);
    }

    [Fact]
    public async Task Read_HeaderLineOverTheLimit_Answered400ThenClosed()
    {
        var request = TlsListenerTests.Options.Replace("Content-Length: 0", "Subject: " + new string('a', SipParser.MaxLineLength + 1) + "\r\nContent-Length: 0", StringComparison.Ordinal);

        await AssertAnsweredThenClosedAsync(request, "400 Bad Request - Line Too Long");
    }

    [Fact]
    public async Task Read_UnendingLineAfterTheDialogHeaders_Answered400ThenClosed()
    {
        // No end of the header block ever comes: a line grows past the limit after the headers an answer copies.
        var head = TlsListenerTests.Options[..TlsListenerTests.Options.IndexOf("Content-Length", StringComparison.Ordinal)];

        await AssertAnsweredThenClosedAsync(head + "Subject: " + new string('a', SipParser.MaxLineLength + 10), "400 Bad Request - Line Too Long");
    }

    [Fact]
    public async Task Read_HeaderBlockOverTheMessageLimit_Answered513ThenClosed()
    {
        var head = TlsListenerTests.Options[..TlsListenerTests.Options.IndexOf("Content-Length", StringComparison.Ordinal)];
        var filler = string.Concat(Enumerable.Range(0, 20).Select(i => $"X-Filler-{i}: {new string('f', 4000)}\r\n"));

        await AssertAnsweredThenClosedAsync(head + filler, "513 Message Too Large");
    }

    [Fact]
    public async Task Read_BrokenFramingBeforeTheDialogHeaders_ClosedWithoutAnswer()
    {
        using var device = _pki.IssueDevice(Mac);
        var harness = new TransportHarness(_pki, _pki.Directory(TestPki.Device(Mac)), TimeProvider.System);
        await using var client = await harness.ConnectAsync(device, _bound.Token);

        await TransportHarness.WriteAsync(client, "OPTIONS sip:127.0.0.1 SIP/2.0\r\nSubject: " + new string('a', SipParser.MaxLineLength + 10), _bound.Token);

        await harness.Handler.Closed.WaitAsync(_bound.Token);
        Assert.Equal("", await ReadToEndAsync(client));
    }

    private async Task AssertAnsweredThenClosedAsync(string request, string statusLine)
    {
        using var device = _pki.IssueDevice(Mac);
        var harness = new TransportHarness(_pki, _pki.Directory(TestPki.Device(Mac)), TimeProvider.System);
        await using var client = await harness.ConnectAsync(device, _bound.Token);

        await TransportHarness.WriteAsync(client, request, _bound.Token);

        var answer = await ReadToEndAsync(client);
        Assert.StartsWith($"SIP/2.0 {statusLine}\r\n", answer, StringComparison.Ordinal);
        Assert.Contains("Call-ID: a84b4c76e66710@127.0.0.1\r\n", answer, StringComparison.Ordinal);
        Assert.Contains("CSeq: 63104 OPTIONS\r\n", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("aaaa", answer, StringComparison.Ordinal);
        await harness.Handler.Closed.WaitAsync(_bound.Token);
        await harness.Served.WaitAsync(_bound.Token);
        Assert.Equal(0, harness.Connections.Count);
    }

    /// <summary>Everything the switch sends until it closes the connection.</summary>
    private async Task<string> ReadToEndAsync(Stream client)
    {
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await client.ReadAsync(buffer, _bound.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (IOException)
        {
        }

        return System.Text.Encoding.ASCII.GetString(received.ToArray());
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
