using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.EndToEndTests.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.EndToEndTests;

/// <summary>
/// A change an admin makes (disable a handset, revoke its certificate) reaches the running switch through PostgreSQL
/// NOTIFY, not its periodic reload: the reload is set to an hour here, so only the notice can explain the refusal.
/// </summary>
public sealed class DirectoryChangeTests(PostgresFixture database) : IAsyncLifetime
{
    private static readonly Dictionary<string, string?> s_hourlyReload = new() { ["Switch__DirectoryRefreshSeconds"] = "3600" };
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await database.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task DisableDevice_RunningSwitch_RefusesItsNextHandshakeWithinSeconds()
    {
        await using var sut = await SwitchUnderTest.StartAsync(database, s_hourlyReload, null, _cancel);
        var handset = sut.DeviceCertificate("203");
        Assert.True(await HandshakeAsync(sut, handset.Certificate), "the enrolled handset was refused before any change\n" + sut.Output);

        await using (var db = database.CreateOwnerContext())
        {
            await db.Devices.Where(d => d.Mac == SwitchUnderTest.MacOf("203"))
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeviceStatus.Disabled), _cancel);
        }

        await Eventually.GetAsync(async () => await HandshakeAsync(sut, handset.Certificate) ? null : "refused",
            TimeSpan.FromSeconds(5), () => "the switch to refuse the disabled handset\n" + sut.Output);
    }

    [Fact]
    public async Task RevokeCertificate_RunningSwitch_RefusesItWithinSeconds()
    {
        await using var sut = await SwitchUnderTest.StartAsync(database, s_hourlyReload, null, _cancel);
        var handset = sut.DeviceCertificate("202");
        Assert.True(await HandshakeAsync(sut, handset.Certificate), "the enrolled handset was refused before any change\n" + sut.Output);

        await using (var db = database.CreateOwnerContext())
        {
            var certificate = await db.DeviceCertificates.SingleAsync(c => c.Fingerprint == handset.Fingerprint, _cancel);
            certificate.Revoke(RevocationReason.KeyCompromise, TimeProvider.System.GetUtcNow());
            await db.SaveChangesAsync(_cancel);
        }

        await Eventually.GetAsync(async () => await HandshakeAsync(sut, handset.Certificate) ? null : "refused",
            TimeSpan.FromSeconds(5), () => "the switch to refuse the revoked certificate\n" + sut.Output);
    }

    /// <summary>
    /// True when the switch keeps a TLS connection with this client certificate. TLS 1.3 finishes the client's side of
    /// the handshake before the server has judged the certificate, so a refusal shows as the connection closed on first read.
    /// </summary>
    private async Task<bool> HandshakeAsync(SwitchUnderTest sut, X509Certificate2 certificate)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", sut.SipPort, _cancel);
        // The switch must present a certificate from the test root, as a handset would check.
        await using var tls = new SslStream(tcp.GetStream(), false,
            (_, presented, _, _) => presented is not null && presented.Issuer == sut.Root.Certificate.Subject);
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "127.0.0.1",
                ClientCertificates = [certificate],
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            }, _cancel);
            // A keep-alive ping (RFC 5626 §4.4.1): an accepted flow answers with a CRLF pong.
            await tls.WriteAsync("\r\n\r\n"u8.ToArray(), _cancel);
            var pong = new byte[2];
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(_cancel);
            bound.CancelAfter(TimeSpan.FromSeconds(3));
            return await tls.ReadAsync(pong, bound.Token) > 0;
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            return false;
        }
    }
}
