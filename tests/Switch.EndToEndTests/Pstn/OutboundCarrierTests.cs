using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.EndToEndTests.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HostedPbx.Switch.EndToEndTests.Pstn;

/// <summary>
/// Issue 11: a handset (baresip, 201) dials a German number; the switch carries it over mutual TLS to a real carrier SBC
/// (Kamailio) which routes it to a baresip "PSTN phone" with SRTP. Speech both ways, and the stored statement against a
/// capture of both legs on loopback.
/// </summary>
public sealed class OutboundCarrierTests(PostgresFixture database) : IAsyncLifetime
{
    private const string Dialled = "+4930123456";
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await database.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Call_201ToGermanNumber_ReachesThePstnPhoneThroughTheCarrierWithSpeechBothWaysAndTheStatementMatchesTheWire()
    {
        var work = Directory.CreateTempSubdirectory("hostedpbx-pstn-").FullName;
        var issuer = new CertificateIssuer(Options.Create(new CertificateAuthorityOptions()), TimeProvider.System);
        var (carrierCa, carrierCaFile) = KamailioCarrier.CreateCa(issuer, work);
        await using var sut = await SwitchUnderTest.StartAsync(
            database, new Dictionary<string, string?> { ["Switch__CarrierTrustAnchorPath"] = carrierCaFile }, null, _cancel);
        var platformCa = sut.Root.Certificate.ExportCertificatePem();
        await using var carrier = await KamailioCarrier.StartAsync(work, issuer, carrierCa, platformCa, _cancel);
        var trunk = await CarrierTrunk.SeedAsync(database, sut, carrier.TrunkPort, _cancel);
        var speech = await Audio.MakeSpeechAsync(sut.WorkDirectory, _cancel);
        // The PSTN phone talks longer than 201, so 201 hangs up and the BYE crosses the carrier.
        var longer = await Audio.MakeSpeechAsync(sut.WorkDirectory, 0.5, 4, _cancel);
        var (min, max) = sut.MediaPorts;
        await using var capture = await LoopbackCapture.StartAsync(
            sut.WorkDirectory, EncryptedWire.Filter((min, max), sut.SipPort, carrier.TrunkPort), _cancel);
        await using var phone = carrier.StartPhone(work, Dialled, longer, 60);
        await using var alice = BaresipPeer.Start(sut.WorkDirectory, "alice", "201", sut.SipPort, sut.DeviceCertificate("201").CombinedPem(), platformCa, speech, 60);
        await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.Registrations.AnyAsync(_cancel) && carrier.Log.Contains("CARRIER REGISTER", StringComparison.Ordinal)
                && phone.Log.Contains("200 OK", StringComparison.Ordinal) ? (object?)true : null;
        }, TimeSpan.FromSeconds(30), () => "201 registered at the switch and the PSTN phone at the carrier\n" + sut.Output + alice.Log + phone.Log + carrier.Log);

        await alice.CommandAsync("dial", $"sip:{Dialled}@127.0.0.1:{sut.SipPort}", _cancel);
        var record = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.CallRecords.AsNoTracking().Include(c => c.Legs).FirstOrDefaultAsync(c => c.EndedAt != null && c.SecurityStatement != null, _cancel);
        }, TimeSpan.FromSeconds(60), () => "the call record\n" + sut.Output + alice.Log + phone.Log + carrier.Log);
        var heardByPhone = await RecordingAsync(phone, "the PSTN phone's recording");
        var heardBy201 = await RecordingAsync(alice, "201's recording");
        var packets = await capture.StopAsync(_cancel);
        await File.WriteAllTextAsync(Path.Combine(work, "switch.log"), sut.Output, _cancel);

        Assert.True(record.Outcome == CallOutcome.Answered, $"outcome {record.Outcome}\n{sut.Output}\n{carrier.Log}");
        Assert.Equal(CallType.OutboundPstn, record.Type);
        Assert.Equal(Dialled, record.ToParty);
        // The carrier saw the switch's INVITE on its trunk port with the switch's certificate verified, then our caller ID.
        Assert.Matches($@"CARRIER INVITE sip:\{Dialled}@127\.0\.0\.1:{carrier.TrunkPort}.*from sip:\{CarrierTrunk.CallerNumber}@.* cert CN=\[127\.0\.0\.1\] verified=\[1\]", carrier.Log);
        var sent = Audio.ReadWav(speech);
        var atPhone = Audio.MaxNormalizedCorrelation(sent, Audio.ReadWav(heardByPhone), 16000);
        var at201 = Audio.MaxNormalizedCorrelation(Audio.ReadWav(longer), Audio.ReadWav(heardBy201), 16000);
        TestContext.Current.TestOutputHelper?.WriteLine($"speech correlation: 201 → PSTN phone {atPhone:0.0000}, PSTN phone → 201 {at201:0.0000}");
        Assert.True(atPhone >= 0.9, $"201's speech at the PSTN phone: correlation {atPhone:0.000}");
        Assert.True(at201 >= 0.9, $"the PSTN phone's speech at 201: correlation {at201:0.000}");

        // The statement, leg by leg, as stored.
        var legs = record.Legs.OrderBy(l => l.Position).ToList();
        Assert.Equal([LegKind.Handset, LegKind.Trunk], legs.Select(l => l.Kind));
        var carrierLeg = legs[1];
        Assert.Equal(trunk.Id, carrierLeg.TrunkId);
        Assert.Equal(SignallingTransport.Tls, carrierLeg.Transport);
        Assert.StartsWith("TLSv1.", carrierLeg.TlsVersion, StringComparison.Ordinal);
        Assert.True(carrierLeg.PeerCertificateVerified);
        Assert.Contains(KamailioCarrier.CertificateName, carrierLeg.PeerCertificateSubject, StringComparison.Ordinal);
        Assert.True(carrierLeg.LeavesNetwork);
        Assert.All(legs, leg => Assert.Equal(MediaProtection.Srtp, leg.MediaProtection));
        Assert.Contains("Call set-up with the telephone carrier's trunk", record.SecurityStatement, StringComparison.Ordinal);
        Assert.Contains("Beyond our network the call is carried by the public telephone network, which our encryption does not reach.", record.SecurityStatement, StringComparison.Ordinal);
        Assert.Contains("the telephone carrier and anyone with access to its network", record.SecurityStatement, StringComparison.Ordinal);
        Assert.DoesNotContain("NOT encrypted", record.SecurityStatement, StringComparison.Ordinal);

        // The wire agrees: SRTP on both legs (none of it decodes as the speech), and TLS on the switch's port and the carrier's.
        await EncryptedWire.AssertEncryptedAsync(packets, (min, max), speech, [sut.SipPort, carrier.TrunkPort], capture.Log, _cancel);
    }

    [Fact]
    public async Task Call_NumberTheCarrierDoesNotKnow_CallerGetsTheCarriersNotFoundNotTemporarilyUnavailable()
    {
        var work = Directory.CreateTempSubdirectory("hostedpbx-pstn-").FullName;
        var issuer = new CertificateIssuer(Options.Create(new CertificateAuthorityOptions()), TimeProvider.System);
        var (carrierCa, carrierCaFile) = KamailioCarrier.CreateCa(issuer, work);
        await using var sut = await SwitchUnderTest.StartAsync(
            database, new Dictionary<string, string?> { ["Switch__CarrierTrustAnchorPath"] = carrierCaFile }, null, _cancel);
        var platformCa = sut.Root.Certificate.ExportCertificatePem();
        await using var carrier = await KamailioCarrier.StartAsync(work, issuer, carrierCa, platformCa, _cancel);
        await CarrierTrunk.SeedAsync(database, sut, carrier.TrunkPort, _cancel);
        var speech = await Audio.MakeSpeechAsync(sut.WorkDirectory, _cancel);
        await using var alice = BaresipPeer.Start(sut.WorkDirectory, "alice", "201", sut.SipPort, sut.DeviceCertificate("201").CombinedPem(), platformCa, speech, 60);
        await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.Registrations.AnyAsync(_cancel) ? (object?)true : null;
        }, TimeSpan.FromSeconds(30), () => "201 registered\n" + sut.Output + alice.Log);

        // Routed by +49* to the carrier, where no phone has this number.
        await alice.CommandAsync("dial", $"sip:+4930999888@127.0.0.1:{sut.SipPort}", _cancel);
        var record = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.CallRecords.AsNoTracking().FirstOrDefaultAsync(c => c.EndedAt != null, _cancel);
        }, TimeSpan.FromSeconds(60), () => "the call record\n" + sut.Output + alice.Log + carrier.Log);
        // baresip prints the final answer as "session closed: <status> <reason>".
        var refused = await Eventually.GetAsync(
            () => Task.FromResult(alice.Log.Contains("session closed:", StringComparison.Ordinal) ? alice.Log : null),
            TimeSpan.FromSeconds(20), () => "201's call to close\n" + alice.Log);

        Assert.Matches(@"CARRIER INVITE sip:\+4930999888@", carrier.Log);
        Assert.Equal(CallOutcome.NotFound, record.Outcome);
        Assert.Equal(CallType.OutboundPstn, record.Type);
        Assert.Null(record.AnsweredAt);
        Assert.Contains("session closed: 404", refused, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_CallerHangsUpWhileThePstnPhoneRings_CancelCrossesTheCarrierAndTheRingingStops()
    {
        var work = Directory.CreateTempSubdirectory("hostedpbx-pstn-").FullName;
        var issuer = new CertificateIssuer(Options.Create(new CertificateAuthorityOptions()), TimeProvider.System);
        var (carrierCa, carrierCaFile) = KamailioCarrier.CreateCa(issuer, work);
        await using var sut = await SwitchUnderTest.StartAsync(
            database, new Dictionary<string, string?> { ["Switch__CarrierTrustAnchorPath"] = carrierCaFile }, null, _cancel);
        var platformCa = sut.Root.Certificate.ExportCertificatePem();
        await using var carrier = await KamailioCarrier.StartAsync(work, issuer, carrierCa, platformCa, _cancel);
        await CarrierTrunk.SeedAsync(database, sut, carrier.TrunkPort, _cancel);
        var speech = await Audio.MakeSpeechAsync(sut.WorkDirectory, _cancel);
        await using var phone = carrier.StartPhone(work, Dialled, speech, 60, answerMode: "manual");
        await using var alice = BaresipPeer.Start(sut.WorkDirectory, "alice", "201", sut.SipPort, sut.DeviceCertificate("201").CombinedPem(), platformCa, speech, 60);
        await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.Registrations.AnyAsync(_cancel) && phone.Log.Contains("200 OK", StringComparison.Ordinal) ? (object?)true : null;
        }, TimeSpan.FromSeconds(30), () => "201 and the PSTN phone registered\n" + sut.Output + alice.Log + phone.Log + carrier.Log);

        await alice.CommandAsync("dial", $"sip:{Dialled}@127.0.0.1:{sut.SipPort}", _cancel);
        await Eventually.GetAsync(
            () => Task.FromResult(phone.Log.Contains("Incoming call", StringComparison.Ordinal) ? (object?)true : null),
            TimeSpan.FromSeconds(30), () => "the PSTN phone to ring\n" + phone.Log + sut.Output + carrier.Log);
        await alice.CommandAsync("hangup", "", _cancel);
        var record = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.CallRecords.AsNoTracking().FirstOrDefaultAsync(c => c.EndedAt != null, _cancel);
        }, TimeSpan.FromSeconds(30), () => "the call record\n" + sut.Output + carrier.Log);
        // The phone stops ringing: its call closes without having been answered.
        await Eventually.GetAsync(
            () => Task.FromResult(phone.Log.Contains("session closed", StringComparison.Ordinal) ? (object?)true : null),
            TimeSpan.FromSeconds(20), () => "the PSTN phone to stop ringing\n" + phone.Log + carrier.Log);

        Assert.Matches($@"CARRIER CANCEL sip:\{Dialled}@127\.0\.0\.1:{carrier.TrunkPort}.* verified=\[1\]", carrier.Log);
        Assert.Equal(CallOutcome.Cancelled, record.Outcome);
        Assert.Null(record.AnsweredAt);
        Assert.DoesNotContain("Call established", phone.Log, StringComparison.Ordinal);
    }

    private static Task<string> RecordingAsync(BaresipPeer peer, string what) => Eventually.GetAsync(
        () => Task.FromResult(Directory.GetFiles(peer.RecordingDirectory, "dump-*-dec.wav").FirstOrDefault()), TimeSpan.FromSeconds(20), () => what + "\n" + peer.Log);
}
