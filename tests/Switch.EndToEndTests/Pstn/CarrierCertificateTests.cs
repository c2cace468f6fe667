using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.EndToEndTests.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HostedPbx.Switch.EndToEndTests.Pstn;

/// <summary>
/// Issue 11, certificates both ways: the carrier (Kamailio) admits the switch only with the platform's client
/// certificate, and the switch admits a carrier only with the certificate of a carrier it has a trunk to.
/// </summary>
public sealed class CarrierCertificateTests(PostgresFixture database) : IAsyncLifetime
{
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await database.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Carrier_ConnectionWithoutTheSwitchClientCertificate_GetsNoSipAnswer()
    {
        var work = Directory.CreateTempSubdirectory("hostedpbx-pstn-").FullName;
        var issuer = new CertificateIssuer(Options.Create(new CertificateAuthorityOptions()), TimeProvider.System);
        var (carrierCa, carrierCaFile) = KamailioCarrier.CreateCa(issuer, work);
        await using var sut = await SwitchUnderTest.StartAsync(
            database, new Dictionary<string, string?> { ["Switch__CarrierTrustAnchorPath"] = carrierCaFile }, null, _cancel);
        await using var carrier = await KamailioCarrier.StartAsync(work, issuer, carrierCa, sut.Root.Certificate.ExportCertificatePem(), _cancel);
        using var switchCertificate = X509Certificate2.CreateFromPemFile(
            Path.Combine(sut.WorkDirectory, "switch.crt"), Path.Combine(sut.WorkDirectory, "switch.key"));
        // A certificate from a CA the carrier does not know, for the same name as the switch's.
        using var strangerCa = issuer.CreateRoot();
        using var stranger = issuer.IssueServer(strangerCa, ["127.0.0.1"], alsoClientAuth: true);

        // Control: with the switch's own certificate the carrier speaks SIP (an OPTIONS to no user: 484).
        var withCertificate = await OptionsAsync(carrier.TrunkPort, switchCertificate, carrierCa.Certificate);
        var without = await OptionsAsync(carrier.TrunkPort, null, carrierCa.Certificate);
        var withStranger = await OptionsAsync(carrier.TrunkPort, stranger.Certificate, carrierCa.Certificate);

        Assert.True(withCertificate?.StartsWith("SIP/2.0 484", StringComparison.Ordinal) == true, $"with the switch's certificate: {withCertificate}\n{carrier.Log}");
        Assert.Null(without);
        Assert.Null(withStranger);
        // Kamailio's own reasons, which reach its log a moment after the connection closes.
        await Eventually.GetAsync(
            () => Task.FromResult(carrier.Log.Contains("did not return a certificate", StringComparison.Ordinal)
                && carrier.Log.Contains("certificate verify failed", StringComparison.Ordinal) ? (object?)true : null),
            TimeSpan.FromSeconds(10), () => "Kamailio to log both refusals\n" + carrier.Log);
    }

    [Fact]
    public async Task Switch_CarrierConnectionWithACertificateOfNoTrunk_RefusedAndAudited()
    {
        var work = Directory.CreateTempSubdirectory("hostedpbx-pstn-").FullName;
        var issuer = new CertificateIssuer(Options.Create(new CertificateAuthorityOptions()), TimeProvider.System);
        var (carrierCa, carrierCaFile) = KamailioCarrier.CreateCa(issuer, work);
        using var ca = carrierCa;
        await using var sut = await SwitchUnderTest.StartAsync(
            database, new Dictionary<string, string?> { ["Switch__CarrierTrustAnchorPath"] = carrierCaFile }, null, _cancel);
        await CarrierTrunk.SeedAsync(database, sut, PartProcess.FreePort(), _cancel);
        // From the carrier CA the switch trusts, but for a name no carrier or trunk is configured with.
        using var rogue = issuer.IssueServer(carrierCa, ["rogue.carrier.test"], alsoClientAuth: true);
        using var bound = issuer.IssueServer(carrierCa, [KamailioCarrier.CertificateName], alsoClientAuth: true);

        // Control: the carrier's own certificate is admitted once the switch has read the trunk (its directory refreshes each second).
        // (An OPTIONS, the carrier's keep-alive, which the switch answers 200; an INVITE would start a call.)
        var keepAlive = await Eventually.GetAsync(() => OptionsAsync(sut.SipPort, bound.Certificate, sut.Root.Certificate, "127.0.0.1"),
            TimeSpan.FromSeconds(20), () => "the bound carrier certificate to be admitted\n" + sut.Output);
        var answer = await InviteAsync(sut.SipPort, rogue.Certificate, sut.Root.Certificate);
        var refusal = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.AuditEvents.AsNoTracking().FirstOrDefaultAsync(a => a.Action == "sip.tls.handshake" && a.Reason!.Contains("rogue.carrier.test"), _cancel);
        }, TimeSpan.FromSeconds(20), () => "the audited refusal\n" + sut.Output);

        Assert.StartsWith("SIP/2.0 200", keepAlive, StringComparison.Ordinal);
        Assert.Null(answer);
        Assert.Equal(AuditOutcome.Denied, refusal.Outcome);
        Assert.Contains("no carrier's or trunk's", refusal.Reason, StringComparison.Ordinal);
        await using var check = database.CreateOwnerContext();
        Assert.Empty(await check.CallRecords.ToListAsync(_cancel));
    }

    /// <summary>An OPTIONS over TLS (to the carrier unless <paramref name="serverName"/> says otherwise); the first line of its answer, or null when the connection was refused or closed.</summary>
    private Task<string?> OptionsAsync(int port, X509Certificate2? client, X509Certificate2 serverCa, string serverName = KamailioCarrier.CertificateName) =>
        SipOverTls.ExchangeAsync(port, client, serverCa, serverName, SipOverTls.Options(port), _cancel);

    /// <summary>An INVITE to a number as a carrier would send it to the switch; the first line of the answer, or null when refused.</summary>
    private Task<string?> InviteAsync(int port, X509Certificate2 client, X509Certificate2 serverCa) => SipOverTls.ExchangeAsync(
        port, client, serverCa, "127.0.0.1",
        $"INVITE sip:{CarrierTrunk.CallerNumber}@127.0.0.1:{port};transport=tls SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:5999;branch=z9hG4bK{Guid.NewGuid():N}\r\n"
        + $"Max-Forwards: 70\r\nFrom: <sip:+4930999999@{KamailioCarrier.CertificateName}>;tag=1\r\nTo: <sip:{CarrierTrunk.CallerNumber}@127.0.0.1>\r\n"
        + $"Call-ID: {Guid.NewGuid():N}@127.0.0.1\r\nCSeq: 1 INVITE\r\nContact: <sip:+4930999999@127.0.0.1:5999;transport=tls>\r\nContent-Length: 0\r\n\r\n", _cancel);
}
