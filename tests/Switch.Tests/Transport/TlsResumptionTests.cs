using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Sip.Messages;

namespace HostedPbx.Switch.Tests.Transport;

/// <summary>
/// A handset that reconnects to a running switch resumes its TLS session (RFC 8446 section 2.2) instead of a full
/// handshake, and a resumed session is checked against the device directory as a new one is: a handset revoked since it
/// was handed its ticket is refused. The handset is OpenSSL's own client, as most handsets' TLS stacks are.
/// </summary>
/// <remarks>
/// A ticket is sealed with a key of the server's TLS context. The runtime keeps one such context per server certificate
/// in a process-wide cache while any connection uses it, and drops the unused ones whenever the cache reaches a
/// multiple of 32 entries (one per certificate and side). A switch in service has a handful of entries and connected
/// handsets; this test host makes hundreds of certificates, so each test keeps another handset connected throughout, as
/// on a switch in service, and the reconnect does not depend on what other tests did meanwhile.
/// </remarks>
public sealed class TlsResumptionTests : IDisposable
{
    private const string Mac = "0015651a2b3c";
    private const string BystanderMac = "0015651a2b3d";
    private const string Options = "OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bKresume\r\n"
        + "From: <sip:201@127.0.0.1>;tag=1\r\nTo: <sip:127.0.0.1>\r\nCall-ID: resume-1\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";

    private readonly TestPki _pki = new();
    private readonly DirectoryInfo _files = Directory.CreateTempSubdirectory("hostedpbx-resume-");
    private readonly CancellationTokenSource _bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

    public TlsResumptionTests() => _bound.CancelAfter(TimeSpan.FromSeconds(60));

    [Theory]
    [InlineData("-tls1_3", "TLSv1.3")]
    [InlineData("-tls1_2", "TLSv1.2")]
    public async Task Reconnect_WithTheSessionOfItsLastConnection_ResumedAndItsRequestsServed(string flag, string version)
    {
        using var device = _pki.IssueDevice(Mac);
        using var bystander = _pki.IssueDevice(BystanderMac);
        var harness = new TransportHarness(_pki, _pki.Directory(TestPki.Device(Mac, device.Fingerprint), TestPki.Device(BystanderMac, bystander.Fingerprint)), TimeProvider.System);
        await using var switchPort = Listen(harness);
        await using var connected = await ConnectBystanderAsync(harness, bystander);

        SipMessage? secondRequest = null;
        var first = await ConnectAsync(switchPort.Port, device, flag, saveSession: true, async () =>
        {
            using var request = await harness.Handler.NextAsync(_bound.Token);
            await SessionSavedAsync();
        });
        var second = await ConnectAsync(switchPort.Port, device, flag, saveSession: false, async () => secondRequest = await harness.Handler.NextAsync(_bound.Token));
        using var served = secondRequest;

        Assert.Contains($"New, {version}", first);
        Assert.Contains($"Reused, {version}", second);
        Assert.Equal("resume-1", served!.CallId);
    }

    [Fact]
    public async Task Reconnect_RevokedSinceItsLastConnection_ResumedSessionRefusedAndAudited()
    {
        using var device = _pki.IssueDevice(Mac);
        using var bystander = _pki.IssueDevice(BystanderMac);
        var harness = new TransportHarness(_pki, _pki.Directory(TestPki.Device(Mac, device.Fingerprint), TestPki.Device(BystanderMac, bystander.Fingerprint)), TimeProvider.System);
        await using var switchPort = Listen(harness);
        await using var connected = await ConnectBystanderAsync(harness, bystander);
        await ConnectAsync(switchPort.Port, device, "-tls1_3", saveSession: true, async () =>
        {
            using var request = await harness.Handler.NextAsync(_bound.Token);
            await SessionSavedAsync();
        });

        harness.Directory = _pki.DirectoryRevoking(device, TestPki.Device(Mac, device.Fingerprint), TestPki.Device(BystanderMac, bystander.Fingerprint));
        AuditEvent? audit = null;
        var after = await ConnectAsync(switchPort.Port, device, "-tls1_3", saveSession: false, async () => audit = await harness.Audit.Reader.ReadAsync(_bound.Token));

        Assert.Contains("Reused, TLSv1.3", after);
        Assert.Equal("sip.tls.handshake", audit!.Action);
        Assert.Contains(nameof(CertificateRefusal.Revoked), audit.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, harness.Handler.Waiting);
    }

    /// <summary>Another handset, connected and served before the test's handset comes, and kept connected.</summary>
    private async Task<SslStream> ConnectBystanderAsync(TransportHarness harness, IssuedCertificate bystander)
    {
        var ssl = await harness.ConnectAsync(bystander, _bound.Token);
        await TransportHarness.WriteAsync(ssl, Options.Replace("resume-1", "bystander-1", StringComparison.Ordinal), _bound.Token);
        using var served = await harness.Handler.NextAsync(_bound.Token);
        Assert.Equal("bystander-1", served.CallId);
        return ssl;
    }

    private Listening Listen(TransportHarness harness)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Listen();
        var stop = CancellationTokenSource.CreateLinkedTokenSource(_bound.Token);
        return new Listening(socket, stop, harness.Listener.RunAsync(socket, stop.Token));
    }

    /// <summary>
    /// One connection of <c>openssl s_client</c> with the handset's certificate, sending one OPTIONS. The first saves its
    /// session (the ticket the switch gives it, written when it arrives); the next offers that session back. The
    /// connection is hung up once <paramref name="done"/> holds, so the first has its ticket before it goes.
    /// </summary>
    private async Task<string> ConnectAsync(int port, IssuedCertificate device, string flag, bool saveSession, Func<Task> done)
    {
        var identity = Path.Combine(_files.FullName, "handset.pem");
        await File.WriteAllTextAsync(identity, device.CombinedPem(), _bound.Token);
        var start = new ProcessStartInfo("openssl")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])["s_client", "-connect", $"127.0.0.1:{port}", flag, "-cert", identity, saveSession ? "-sess_out" : "-sess_in", SessionFile])
        {
            start.ArgumentList.Add(argument);
        }

        using var client = Process.Start(start)!;
        try
        {
            var output = client.StandardOutput.ReadToEndAsync(_bound.Token);
            var errors = client.StandardError.ReadToEndAsync(_bound.Token);
            await client.StandardInput.WriteAsync(Options);
            await client.StandardInput.FlushAsync(_bound.Token);
            await done();
            client.StandardInput.Close();
            await client.WaitForExitAsync(_bound.Token);
            return await output + await errors;
        }
        finally
        {
            if (!client.HasExited)
            {
                client.Kill();
            }
        }
    }

    private string SessionFile => Path.Combine(_files.FullName, "session.pem");

    /// <summary>Waits until s_client has written the session it was given.</summary>
    private async Task SessionSavedAsync()
    {
        while (!File.Exists(SessionFile) || new FileInfo(SessionFile).Length == 0)
        {
            await Task.Delay(20, _bound.Token);
        }
    }

    public void Dispose()
    {
        _bound.Dispose();
        _pki.Dispose();
        _files.Delete(recursive: true);
    }

    private sealed record Listening(Socket Socket, CancellationTokenSource Stop, Task Accepting) : IAsyncDisposable
    {
        public int Port => ((IPEndPoint)Socket.LocalEndPoint!).Port;

        public async ValueTask DisposeAsync()
        {
            await Stop.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Accepting);
            Stop.Dispose();
            Socket.Dispose();
        }
    }
}
