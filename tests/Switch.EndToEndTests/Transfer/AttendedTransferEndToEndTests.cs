using HostedPbx.Data.Entities;
using HostedPbx.Switch.EndToEndTests.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.EndToEndTests.Transfer;

/// <summary>
/// Attended transfer with real handsets: linphonec as 201 calls linphonec 202, puts it on hold, calls baresip 203, then
/// <c>transfer 1 --to-call 2</c> (REFER with Refer-To carrying Replaces, RFC 3891). The switch re-INVITEs 202 into
/// 203's call; 202 and 203 then hear each other's speech (which starts only after the transfer), and 201's calls are over.
/// linphonec needs the private network namespace (see <see cref="LinphoneTests"/>).
/// </summary>
public sealed class AttendedTransferEndToEndTests(PostgresFixture database) : IAsyncLifetime
{
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await database.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task AttendedTransfer_LinphoneJoins202And203_TheyHearEachOtherAnd201sCallsAreOver()
    {
        Tool.Require("linphonec");
        await using var network = await NetworkNamespace.CreateAsync(_cancel);
        await using var sut = await SwitchUnderTest.StartAsync(database, null, network, _cancel);
        var ca = sut.Root.Certificate.ExportCertificatePem();

        // 202 (linphonec: baresip 1.0 keeps its old SRTP key across a re-INVITE, and 202 is the party the switch re-keys)
        // speaks 10 s after its call starts, 203 (baresip, never re-INVITEd) 15 s after; both long after the transfer.
        // 203 hangs up when its file ends, which ends the joined call.
        var speech202 = await Audio.MakeSpeechAsync(sut.WorkDirectory, 10, 1.5, _cancel);
        var speech203 = await Audio.MakeSpeechAsync(sut.WorkDirectory, 15, 12, _cancel);
        await using var carol = BaresipPeer.Start(sut.WorkDirectory, "carol", "203", sut.SipPort, sut.DeviceCertificate("203").CombinedPem(), ca, speech203, 90, network: network);
        var device = sut.DeviceCertificate("201");
        await using var alice = await LinphonePeer.StartAsync(
            network, sut.WorkDirectory, "alice", "201", sut.SipPort, device.CertificatePem() + "\n" + device.ChainPem(), device.PrivateKeyPem(), ca,
            "AES_CM_128_HMAC_SHA1_80");
        var bobDevice = sut.DeviceCertificate("202");
        await using var bob = await LinphonePeer.StartAsync(
            network, sut.WorkDirectory, "bob", "202", sut.SipPort, bobDevice.CertificatePem() + "\n" + bobDevice.ChainPem(), bobDevice.PrivateKeyPem(), ca,
            "AES_CM_128_HMAC_SHA1_80", autoAnswer: true, rtpPorts: "20300-20349");
        await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.Registrations.CountAsync(_cancel) >= 3 ? (object?)true : null;
        }, TimeSpan.FromSeconds(30), () => "three REGISTERs\n" + sut.Output + alice.Log + bob.Log + carol.Log);
        await alice.SendAsync("soundcard use files");
        await bob.SendAsync("soundcard use files");
        await bob.SendAsync($"play {speech202}");
        await bob.SendAsync($"record {bob.RecordingPath}");

        await alice.SendAsync($"call sip:202@127.0.0.1:{sut.SipPort}");
        await AnsweredAsync(1, () => sut.Output + alice.Log + bob.Log);
        await alice.SendAsync("pause 1");
        await alice.WaitForAsync("is now paused", TimeSpan.FromSeconds(20), "201 holding 202");
        await alice.SendAsync($"call sip:203@127.0.0.1:{sut.SipPort}");
        await AnsweredAsync(2, () => sut.Output + alice.Log + carol.Log);

        await alice.SendAsync("transfer 1 --to-call 2");

        await AssertJoinedAsync(sut, bob, carol, () => alice.Log);
    }

    /// <summary>
    /// The same transfer made by baresip, which has no attended-transfer command of its own: 201 holds 202, calls 203, goes
    /// back to the first call (<c>/line 1</c>) and transfers it with a Refer-To that carries the Replaces of its call to 203
    /// (RFC 3891 §7.1), built from the dialog its SIP trace shows, as a phone's "transfer to the held call" key does.
    /// </summary>
    [Fact]
    public async Task AttendedTransfer_BaresipJoins202And203_TheyHearEachOtherAnd201sCallsAreOver()
    {
        Tool.Require("linphonec");
        await using var network = await NetworkNamespace.CreateAsync(_cancel);
        await using var sut = await SwitchUnderTest.StartAsync(database, null, network, _cancel);
        var ca = sut.Root.Certificate.ExportCertificatePem();

        // 202 is linphonec for the reason above; it speaks 15 s after its call starts, 203 20 s after; both after the transfer.
        var speech202 = await Audio.MakeSpeechAsync(sut.WorkDirectory, 15, 1.5, _cancel);
        var speech203 = await Audio.MakeSpeechAsync(sut.WorkDirectory, 20, 12, _cancel);
        var quiet201 = await Audio.MakeSpeechAsync(sut.WorkDirectory, 80, 0.5, _cancel);
        await using var alice = BaresipPeer.Start(
            sut.WorkDirectory, "alice", "201", sut.SipPort, sut.DeviceCertificate("201").CombinedPem(), ca, quiet201, 120, network: network, sipTrace: true);
        await using var carol = BaresipPeer.Start(sut.WorkDirectory, "carol", "203", sut.SipPort, sut.DeviceCertificate("203").CombinedPem(), ca, speech203, 120, network: network);
        var bobDevice = sut.DeviceCertificate("202");
        await using var bob = await LinphonePeer.StartAsync(
            network, sut.WorkDirectory, "bob", "202", sut.SipPort, bobDevice.CertificatePem() + "\n" + bobDevice.ChainPem(), bobDevice.PrivateKeyPem(), ca,
            "AES_CM_128_HMAC_SHA1_80", autoAnswer: true, rtpPorts: "20300-20349");
        await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.Registrations.CountAsync(_cancel) >= 3 ? (object?)true : null;
        }, TimeSpan.FromSeconds(30), () => "three REGISTERs\n" + sut.Output + alice.Log + bob.Log + carol.Log);
        await bob.SendAsync("soundcard use files");
        await bob.SendAsync($"play {speech202}");
        await bob.SendAsync($"record {bob.RecordingPath}");

        await alice.CommandAsync("dial", $"sip:202@127.0.0.1:{sut.SipPort}", _cancel);
        await AnsweredAsync(1, () => sut.Output + alice.Log + bob.Log);
        await alice.CommandAsync("hold", "", _cancel);
        await alice.CommandAsync("dial", $"sip:203@127.0.0.1:{sut.SipPort}", _cancel);
        await AnsweredAsync(2, () => sut.Output + alice.Log + carol.Log);
        var dialog = await Eventually.GetAsync(
            () => Task.FromResult(alice.AnsweredDialogTo("203")), TimeSpan.FromSeconds(10), () => "201's trace of the 200 OK from 203\n" + alice.Log);
        var (callId, fromTag, toTag) = dialog!.Value;

        await alice.CommandAsync("line", "1", _cancel);
        var replaces = Uri.EscapeDataString($"{callId};to-tag={toTag};from-tag={fromTag}");
        await alice.CommandAsync("transfer", $"<sip:203@127.0.0.1:{sut.SipPort};transport=tls?Replaces={replaces}>", _cancel);

        await AssertJoinedAsync(sut, bob, carol, () => alice.Log);
    }

    /// <summary>
    /// After 201's transfer: 201's first call ended with the transfer, the joined call has 201's, 203's and 202's legs, all
    /// SRTP, and 202 and 203 hear each other's speech.
    /// </summary>
    private async Task AssertJoinedAsync(SwitchUnderTest sut, LinphonePeer bob, BaresipPeer carol, Func<string> transferorLog)
    {
        // 201's first call ends at once (its leg gets BYE); the joined call ends when 202's or 203's file does.
        var records = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            var ended = await db.CallRecords.AsNoTracking().Include(c => c.Legs).Where(c => c.EndedAt != null).ToListAsync(_cancel);
            return ended.Count == 2 ? ended : null;
        }, TimeSpan.FromSeconds(90), () => "both calls to end\n" + sut.Output + transferorLog() + bob.Log + carol.Log);
        var first = records.Single(r => r.ToParty == "202");
        var joined = records.Single(r => r.ToParty == "203");
        Assert.True(first.EndedAt < joined.EndedAt!.Value.AddSeconds(-5), "201's call with 202 ended when the transfer did, not with the joined call");
        Assert.Equal(["201", "203", "202"], joined.Legs.OrderBy(l => l.Position).Select(l => l.Party));
        Assert.All(joined.Legs, leg => Assert.Equal(MediaProtection.Srtp, leg.MediaProtection));

        var sent = FromFirstSound(Audio.ReadWav(Path.Combine(sut.WorkDirectory, "speech_8k.wav")));
        var atCarolFile = await Eventually.GetAsync(
            () => Task.FromResult(Directory.GetFiles(carol.RecordingDirectory, "dump-*-dec.wav").FirstOrDefault()), TimeSpan.FromSeconds(10), "203's recording");
        var atCarol = Audio.MaxNormalizedCorrelation(sent, FromFirstSound(Audio.ReadWav(atCarolFile)), 4000);
        Assert.True(atCarol > 0.9, $"202's speech at 203: correlation {atCarol:0.000}\n{sut.Output}\n{carol.Log}");

        // linphone writes its recording's WAV header when the call ends.
        var heardByBob = await Audio.ReadFinishedWavAsync(bob.RecordingPath, TimeSpan.FromSeconds(20), () => "202's call to end\n" + bob.Log);

        // linphone's receive side adapts its jitter buffer after a stream (re)starts: compared per half second, as in LinphoneTests.
        var atBob = Audio.MedianWindowCorrelation(sent, FromFirstSound(heardByBob), 8000);
        Assert.True(atBob > 0.9, $"203's speech at 202: median correlation {atBob:0.000} per half second\n{bob.Log}");
    }

    private async Task AnsweredAsync(int count, Func<string> diagnostics) =>
        await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.CallRecords.AsNoTracking().CountAsync(c => c.AnsweredAt != null, _cancel) >= count ? (object?)true : null;
        }, TimeSpan.FromSeconds(30), () => $"{count} answered calls\n" + diagnostics());

    private static float[] FromFirstSound(float[] samples)
    {
        var loudest = samples.Length == 0 ? 0 : samples.Max(Math.Abs);
        var first = Array.FindIndex(samples, s => Math.Abs(s) > loudest * 0.1f);
        return first < 0 ? [] : samples[Math.Max(0, first - 800)..];
    }
}
