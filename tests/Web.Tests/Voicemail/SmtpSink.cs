using System.Diagnostics;
using System.Net.Sockets;
using HostedPbx.Data.Certificates;
using HostedPbx.Testing;
using Microsoft.Extensions.Options;

namespace HostedPbx.Web.Tests.Voicemail;

/// <summary>
/// A real SMTP server (Debian's python3-aiosmtpd) on a free loopback port, writing each mail to a Maildir. It offers
/// STARTTLS with a certificate for 127.0.0.1 from a throwaway CA and refuses mail before it (530).
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly Process _process;

    private SmtpSink(Process process, int port, string directory)
    {
        _process = process;
        Port = port;
        Directory = directory;
    }

    public int Port { get; }

    /// <summary>Holds <c>ca.crt</c> (the CA that vouches for the server) and <c>mail/new/</c> (one file per mail).</summary>
    public string Directory { get; }

    public string CaCertificatePath => Path.Combine(Directory, "ca.crt");

    public IReadOnlyList<string> Mails => System.IO.Directory.Exists(Path.Combine(Directory, "mail", "new"))
        ? [.. System.IO.Directory.GetFiles(Path.Combine(Directory, "mail", "new"))]
        : [];

    public static async Task<SmtpSink> StartAsync()
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("hostedpbx-smtp-").FullName;
        var issuer = new CertificateIssuer(Options.Create(new CertificateAuthorityOptions()), TimeProvider.System);
        using var root = issuer.CreateRoot();
        using var server = issuer.IssueServer(root, ["127.0.0.1"]);
        await File.WriteAllTextAsync(Path.Combine(directory, "ca.crt"), root.Certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(directory, "server.crt"), server.CertificatePem());
        await File.WriteAllTextAsync(Path.Combine(directory, "server.key"), server.PrivateKeyPem());
        var port = PartProcess.FreePort();
        var info = new ProcessStartInfo("/usr/bin/python3")
        {
            ArgumentList =
            {
                "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox",
                "--tlscert", Path.Combine(directory, "server.crt"), "--tlskey", Path.Combine(directory, "server.key"), "--", Path.Combine(directory, "mail"),
            },
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        var process = Process.Start(info) ?? throw new InvalidOperationException("python3 -m aiosmtpd did not start (apt-get install python3-aiosmtpd).");
        var sink = new SmtpSink(process, port, directory);
        // Wait until it answers on its port, bounded generously for a loaded machine.
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port);
                return sink;
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(60) && !process.HasExited)
            {
                await Task.Delay(50);
            }
            catch (SocketException)
            {
                await sink.DisposeAsync();
                throw new InvalidOperationException($"aiosmtpd did not answer on {port}: {await process.StandardError.ReadToEndAsync()}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
