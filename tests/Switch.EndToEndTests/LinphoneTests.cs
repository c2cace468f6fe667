using HostedPbx.Data.Entities;
using HostedPbx.Switch.EndToEndTests.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.EndToEndTests;

/// <summary>
/// linphonec, a second independent SIP/TLS + SRTP stack (liblinphone, mbedTLS), against the switch.
/// liblinphone will not register without a default route, and a default route on the host would let it reach
/// the real network; so the switch, the baresip peer and linphonec all run inside a private network namespace
/// whose only link goes nowhere (shared/peers/README.md §4). The switch reaches PostgreSQL through its Unix socket.
/// </summary>
public sealed class LinphoneTests(PostgresFixture database) : IAsyncLifetime
{
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await database.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Call_LinphoneAndBaresipBothWays_RegistersVerifyingTheSwitchAndSpeechArrivesOverSrtp()
    {
        Tool.Require("linphonec");
        await using var network = await NetworkNamespace.CreateAsync(_cancel);
        await using var sut = await SwitchUnderTest.StartAsync(database, null, network, _cancel);
        // linphone's receive side settles during the first second of a call (its jitter buffer adapts): the speech
        // starts after that.
        var speech = await Audio.MakeSpeechAsync(sut.WorkDirectory, 1.5, 1.5, _cancel);
        var ca = sut.Root.Certificate.ExportCertificatePem();
        await using var bob = BaresipPeer.Start(
            sut.WorkDirectory, "bob", "202", sut.SipPort, sut.DeviceCertificate("202").CombinedPem(), ca, speech, 60, network: network);
        var device = sut.DeviceCertificate("201");
        // linphone offers _32 first: the switch takes it for this leg and keys baresip's leg with _80, the one it knows.
        await using var carol = await LinphonePeer.StartAsync(
            network, sut.WorkDirectory, "carol", "201", sut.SipPort, device.CertificatePem() + "\n" + device.ChainPem(), device.PrivateKeyPem(), ca,
            "AES_CM_128_HMAC_SHA1_32, AES_CM_128_HMAC_SHA1_80", autoAnswer: true);

        await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.Registrations.CountAsync(_cancel) >= 2 ? (object?)true : null;
        }, TimeSpan.FromSeconds(20), () => "both REGISTERs\n" + sut.Output + carol.Log + bob.Log);
        await carol.SendAsync("soundcard use files");
        await carol.SendAsync($"play {speech}");
        await carol.SendAsync($"record {carol.RecordingPath}");
        await carol.SendAsync($"call sip:202@127.0.0.1:{sut.SipPort}");
        // bob hangs up when his WAV ends; the record is written then.
        var record = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.CallRecords.AsNoTracking().Include(c => c.Legs).FirstOrDefaultAsync(c => c.EndedAt != null, _cancel);
        }, TimeSpan.FromSeconds(30), () => "the call to end\n" + sut.Output + carol.Log);

        Assert.Equal(CallOutcome.Answered, record.Outcome);
        var legs = record.Legs.OrderBy(l => l.Position).ToList();
        Assert.Equal([SwitchUnderTest.MacOf("201"), SwitchUnderTest.MacOf("202")], legs.Select(l => l.PeerMac));
        Assert.All(legs, leg => Assert.Equal(MediaProtection.Srtp, leg.MediaProtection));
        Assert.Equal("AES_CM_128_HMAC_SHA1_32", legs[0].SrtpSuite);
        Assert.Equal("AES_CM_128_HMAC_SHA1_80", legs[1].SrtpSuite);
        Assert.StartsWith("TLSv1.", legs[0].TlsVersion, StringComparison.Ordinal);
        var sent = Audio.ReadWav(speech);
        var atBob = Audio.MaxNormalizedCorrelation(sent, Audio.ReadWav(Directory.GetFiles(bob.RecordingDirectory, "dump-*-dec.wav").Single()), 8000);
        Assert.True(atBob > 0.9, $"linphone's speech at baresip: correlation {atBob:0.000}");
        var heardByCarol = await Audio.ReadFinishedWavAsync(carol.RecordingPath, TimeSpan.FromSeconds(20), () => carol.Log);
        var atCarol = Audio.MedianWindowCorrelation(sent, heardByCarol, 8000);
        Assert.True(atCarol > 0.9, $"baresip's speech at linphone: median correlation {atCarol:0.000} per half second");

        // The other way: baresip calls 201, and the switch's INVITE (its own offer, its own keys) reaches linphone over
        // the connection linphone registered on; linphone answers by itself.
        await carol.SendAsync($"play {speech}");
        await carol.SendAsync($"record {carol.SecondRecordingPath}");
        await bob.CommandAsync("dial", $"sip:201@127.0.0.1:{sut.SipPort}", _cancel);
        var back = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.CallRecords.AsNoTracking().Include(c => c.Legs).FirstOrDefaultAsync(c => c.FromParty == "202" && c.EndedAt != null, _cancel);
        }, TimeSpan.FromSeconds(30), () => "the call from baresip to end\n" + sut.Output + carol.Log + bob.Log);

        Assert.Equal(CallOutcome.Answered, back.Outcome);
        var calleeLeg = back.Legs.Single(l => l.Position == 2);
        Assert.Equal(SwitchUnderTest.MacOf("201"), calleeLeg.PeerMac);
        Assert.Equal(MediaProtection.Srtp, calleeLeg.MediaProtection);
        Assert.Contains(calleeLeg.SrtpSuite, new[] { "AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32" });
        var heardByCarolAgain = await Audio.ReadFinishedWavAsync(carol.SecondRecordingPath, TimeSpan.FromSeconds(20), () => carol.Log);
        var atCarolAgain = Audio.MedianWindowCorrelation(sent, heardByCarolAgain, 8000);
        Assert.True(atCarolAgain > 0.9, $"baresip's speech at linphone when called: median correlation {atCarolAgain:0.000} per half second");
        var second = Directory.GetFiles(bob.RecordingDirectory, "dump-*-dec.wav").Order(StringComparer.Ordinal).Last();
        var atBobAgain = Audio.MedianWindowCorrelation(sent, Audio.ReadWav(second), 8000);
        Assert.True(atBobAgain > 0.9, $"linphone's speech at baresip when called: median correlation {atBobAgain:0.000} per half second");
    }
}
