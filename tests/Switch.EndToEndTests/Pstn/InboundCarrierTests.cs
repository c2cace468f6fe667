using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.EndToEndTests.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HostedPbx.Switch.EndToEndTests.Pstn;

/// <summary>
/// Issue 11, inbound: a "PSTN phone" (baresip registered to the carrier) dials the tenant's number; the carrier's SBC
/// (Kamailio) sends the INVITE to the switch over TLS presenting its own certificate, and 202 (baresip with its device
/// certificate) rings and answers, speech both ways. A carrier presenting a certificate that is not the trunk's is refused.
/// </summary>
public sealed class InboundCarrierTests(PostgresFixture database) : IAsyncLifetime
{
    /// <summary>The tenant's number, pointed at 202.</summary>
    private const string TenantNumber = "+4930555000";

    /// <summary>The PSTN phone's own number at the carrier: the caller ID the switch records.</summary>
    private const string PhoneNumber = "+4930123456";

    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await database.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Call_PstnPhoneToTheTenantsNumber_202RingsAndAnswersWithSpeechBothWaysAndTheStatementMatchesTheWire()
    {
        await using var scene = await Scene.StartAsync(database, KamailioCarrier.CertificateName, true, "auto", _cancel);
        var (sut, carrier, phone, callee) = (scene.Sut, scene.Carrier, scene.Phone, scene.Callee);
        // Both legs' media on the switch's ports; signalling on the switch's port (202's and the carrier's connections) and the carrier's phone port.
        await using var capture = await LoopbackCapture.StartAsync(sut.WorkDirectory, EncryptedWire.Filter(sut.MediaPorts, sut.SipPort, carrier.PhonePort), _cancel);

        await phone.CommandAsync("dial", $"sip:{TenantNumber}@127.0.0.1:{carrier.PhonePort}", _cancel);
        var record = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.CallRecords.AsNoTracking().Include(c => c.Legs).FirstOrDefaultAsync(c => c.EndedAt != null && c.SecurityStatement != null, _cancel);
        }, TimeSpan.FromSeconds(60), () => "the call record\n" + sut.Output + phone.Log + callee.Log + carrier.Log);
        var heardBy202 = await RecordingAsync(callee, "202's recording");
        var heardByPhone = await RecordingAsync(phone, "the PSTN phone's recording");
        var packets = await capture.StopAsync(_cancel);

        Assert.True(record.Outcome == CallOutcome.Answered, $"outcome {record.Outcome}\n{sut.Output}\n{carrier.Log}");
        Assert.Equal((CallType.InboundPstn, PhoneNumber, "202"), (record.Type, record.FromParty, record.ToParty));
        Assert.Contains("Call established", callee.Log, StringComparison.Ordinal);
        // The carrier sent the number to the switch's TLS address, and took 202's BYE (202 talks less) back to the phone
        // over the same connection, the switch's certificate verified by the carrier.
        Assert.Contains($"CARRIER to switch sip:{TenantNumber}@127.0.0.1:{sut.SipPort};transport=tls from sip:{PhoneNumber}@", carrier.Log, StringComparison.Ordinal);
        Assert.Matches(@"CARRIER BYE sip:.* cert CN=\[127\.0\.0\.1\] verified=\[1\]", carrier.Log);
        var at202 = Audio.MaxNormalizedCorrelation(Audio.ReadWav(scene.PhoneSpeech), Audio.ReadWav(heardBy202), 16000);
        var atPhone = Audio.MaxNormalizedCorrelation(Audio.ReadWav(scene.CalleeSpeech), Audio.ReadWav(heardByPhone), 16000);
        TestContext.Current.TestOutputHelper?.WriteLine($"speech correlation: PSTN phone → 202 {at202:0.0000}, 202 → PSTN phone {atPhone:0.0000}");
        Assert.True(at202 >= 0.9, $"the PSTN phone's speech at 202: correlation {at202:0.000}");
        Assert.True(atPhone >= 0.9, $"202's speech at the PSTN phone: correlation {atPhone:0.000}");

        // The carrier's leg as stored: the caller, over TLS from the certificate the trunk names, SRTP on both legs.
        var legs = record.Legs.OrderBy(l => l.Position).ToList();
        Assert.Equal([LegKind.Trunk, LegKind.Handset], legs.Select(l => l.Kind));
        var carrierLeg = legs[0];
        Assert.Equal(scene.Trunk.Id, carrierLeg.TrunkId);
        Assert.Equal(SignallingTransport.Tls, carrierLeg.Transport);
        Assert.StartsWith("TLSv1.", carrierLeg.TlsVersion, StringComparison.Ordinal);
        Assert.True(carrierLeg.PeerCertificateVerified);
        Assert.Contains(KamailioCarrier.CertificateName, carrierLeg.PeerCertificateSubject, StringComparison.Ordinal);
        Assert.True(carrierLeg.LeavesNetwork);
        Assert.All(legs, leg => Assert.Equal(MediaProtection.Srtp, leg.MediaProtection));
        Assert.Contains($"Call from the outside number {PhoneNumber} to 202.", record.SecurityStatement, StringComparison.Ordinal);
        Assert.Contains(
            $"The call from the telephone network reached our switch over a connection encrypted with {carrierLeg.TlsVersion} from a carrier whose certificate we verified, "
            + "its audio encrypted (SRTP) between the carrier and our switch; beyond the carrier it is not protected by us.",
            record.SecurityStatement, StringComparison.Ordinal);
        Assert.DoesNotContain("NOT encrypted", record.SecurityStatement, StringComparison.Ordinal);

        // The wire agrees with the statement: SRTP on the carrier's leg and 202's (none of it decodes as the speech), TLS everywhere.
        await EncryptedWire.AssertEncryptedAsync(packets, sut.MediaPorts, scene.CalleeSpeech, [sut.SipPort, carrier.PhonePort], capture.Log, _cancel);
    }

    [Theory]
    [InlineData("rogue.carrier.test", true, "are no carrier's or trunk's")]
    [InlineData(KamailioCarrier.CertificateName, false, "does not verify against")]
    public async Task Call_CarrierPresentingACertificateThatIsNotTheTrunks_RefusedAtTheSwitchsHandshakeAuditedAnd202NeverRings(
        string certificateName, bool fromTrustedCa, string auditedWhy)
    {
        // Another name from the CA the switch trusts for carriers, or the trunk's name from a CA it does not trust; 202
        // answers by hand, so a call that reached it would show as ringing.
        await using var scene = await Scene.StartAsync(database, certificateName, fromTrustedCa, "manual", _cancel);
        var (sut, carrier, phone, callee) = (scene.Sut, scene.Carrier, scene.Phone, scene.Callee);

        await phone.CommandAsync("dial", $"sip:{TenantNumber}@127.0.0.1:{carrier.PhonePort}", _cancel);
        var refusal = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.AuditEvents.AsNoTracking().FirstOrDefaultAsync(a => a.Action == "sip.tls.handshake" && a.Reason!.Contains(certificateName), _cancel);
        }, TimeSpan.FromSeconds(30), () => "the audited refusal\n" + sut.Output + carrier.Log);
        // The carrier gives up on the switch and the phone's call ends unanswered.
        await Eventually.GetAsync(
            () => Task.FromResult(phone.Log.Contains("session closed", StringComparison.Ordinal) ? (object?)true : null),
            TimeSpan.FromSeconds(60), () => "the PSTN phone's call to end\n" + phone.Log + carrier.Log);

        Assert.Equal(AuditOutcome.Denied, refusal.Outcome);
        Assert.Contains(auditedWhy, refusal.Reason, StringComparison.Ordinal);
        Assert.Contains($"CARRIER to switch sip:{TenantNumber}@127.0.0.1:{sut.SipPort};transport=tls", carrier.Log, StringComparison.Ordinal);
        Assert.Contains("CARRIER switch failed", carrier.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("Incoming call", callee.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("Call established", phone.Log, StringComparison.Ordinal);
        await using var check = database.CreateOwnerContext();
        Assert.Empty(await check.CallRecords.ToListAsync(_cancel));
    }

    private static Task<string> RecordingAsync(BaresipPeer peer, string what) => Eventually.GetAsync(
        () => Task.FromResult(Directory.GetFiles(peer.RecordingDirectory, "dump-*-dec.wav").FirstOrDefault()), TimeSpan.FromSeconds(20), () => what + "\n" + peer.Log);

    /// <summary>
    /// The switch with the operator's carrier, the tenant's trunk and <see cref="TenantNumber"/> pointed at 202; the
    /// carrier (Kamailio) presenting a certificate for <c>certificateName</c> from the CA the switch trusts for carriers
    /// (or, not <c>fromTrustedCa</c>, from a CA of its own that the switch does not know);
    /// the PSTN phone registered to the carrier and 202 to the switch (answering in <c>calleeAnswerMode</c>), and the switch
    /// admitting the genuine carrier's identity.
    /// </summary>
    private sealed class Scene : IAsyncDisposable
    {
        private readonly List<IAsyncDisposable> _started = [];
        private CertificateAuthority? _unusedCa;

        public required SwitchUnderTest Sut { get; init; }

        public KamailioCarrier Carrier { get; private set; } = null!;

        public BaresipPeer Phone { get; private set; } = null!;

        public BaresipPeer Callee { get; private set; } = null!;

        public Trunk Trunk { get; private set; } = null!;

        /// <summary>What the phone says: longer than 202, so 202 hangs up and its BYE crosses the carrier.</summary>
        public string PhoneSpeech { get; private set; } = "";

        public string CalleeSpeech { get; private set; } = "";

        public static async Task<Scene> StartAsync(
            PostgresFixture database, string certificateName, bool fromTrustedCa, string calleeAnswerMode, CancellationToken cancellationToken)
        {
            var work = Directory.CreateTempSubdirectory("hostedpbx-pstn-").FullName;
            var issuer = new CertificateIssuer(Options.Create(new CertificateAuthorityOptions()), TimeProvider.System);
            var (carrierCa, carrierCaFile) = KamailioCarrier.CreateCa(issuer, work);
            var sut = await SwitchUnderTest.StartAsync(
                database, new Dictionary<string, string?> { ["Switch__CarrierTrustAnchorPath"] = carrierCaFile }, null, cancellationToken);
            var scene = new Scene { Sut = sut };
            scene._started.Add(sut);
            try
            {
                var platformCa = sut.Root.Certificate.ExportCertificatePem();
                // A stranger's CA and directory of its own: the file the switch trusts stays the carrier CA's.
                var (kamailioCa, kamailioRoot) = fromTrustedCa ? (carrierCa, work) : (issuer.CreateRoot(), Path.Combine(work, "stranger"));
                scene._unusedCa = fromTrustedCa ? null : carrierCa;
                scene.Carrier = await KamailioCarrier.StartAsync(kamailioRoot, issuer, kamailioCa, platformCa, sut.SipPort, certificateName, cancellationToken);
                scene._started.Add(scene.Carrier);
                scene.Trunk = await CarrierTrunk.SeedAsync(database, sut, scene.Carrier.TrunkPort, cancellationToken);
                await SeedNumberAsync(database, sut, scene.Trunk, cancellationToken);
                scene.CalleeSpeech = await Audio.MakeSpeechAsync(sut.WorkDirectory, cancellationToken);
                scene.PhoneSpeech = await Audio.MakeSpeechAsync(sut.WorkDirectory, 0.5, 4, cancellationToken);
                scene.Phone = scene.Carrier.StartPhone(work, PhoneNumber, scene.PhoneSpeech, 60);
                scene._started.Add(scene.Phone);
                scene.Callee = BaresipPeer.Start(
                    sut.WorkDirectory, "bob", "202", sut.SipPort, sut.DeviceCertificate("202").CombinedPem(), platformCa, scene.CalleeSpeech, 60, calleeAnswerMode);
                scene._started.Add(scene.Callee);
                // The genuine carrier's name is admitted once the switch has read the trunk (its directory refreshes each second).
                using var genuine = issuer.IssueServer(carrierCa, [KamailioCarrier.CertificateName], alsoClientAuth: true);
                await Eventually.GetAsync(async () =>
                {
                    await using var db = database.CreateOwnerContext();
                    var ready = await db.Registrations.AnyAsync(cancellationToken) && scene.Phone.Log.Contains("200 OK", StringComparison.Ordinal)
                        && (await SipOverTls.ExchangeAsync(sut.SipPort, genuine.Certificate, sut.Root.Certificate, "127.0.0.1", SipOverTls.Options(sut.SipPort), cancellationToken))
                            ?.StartsWith("SIP/2.0 200", StringComparison.Ordinal) == true;
                    return ready ? (object?)true : null;
                }, TimeSpan.FromSeconds(30), () => "202 registered at the switch, the PSTN phone at the carrier, the carrier known to the switch\n"
                    + sut.Output + scene.Callee.Log + scene.Phone.Log + scene.Carrier.Log);
                return scene;
            }
            catch
            {
                await scene.DisposeAsync();
                throw;
            }
        }

        /// <summary>The tenant's number on its trunk to the carrier, pointed at 202 (as a tenant admin assigns it).</summary>
        private static async Task SeedNumberAsync(PostgresFixture database, SwitchUnderTest sut, Trunk trunk, CancellationToken cancellationToken)
        {
            await using var db = database.CreateOwnerContext();
            var callee = await db.Extensions.SingleAsync(e => e.TenantId == sut.Tenant!.Id && e.Number == "202", cancellationToken);
            db.InboundNumbers.Add(new InboundNumber
            {
                TenantId = sut.Tenant!.Id, Number = TenantNumber, TrunkId = trunk.Id, DestinationExtensionId = callee.Id, CreatedAt = TimeProvider.System.GetUtcNow(),
            });
            await db.SaveChangesAsync(cancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            // Peers first, the switch last: the reverse of their start.
            for (var i = _started.Count - 1; i >= 0; i--)
            {
                await _started[i].DisposeAsync();
            }

            _unusedCa?.Dispose();
        }
    }
}
