using HostedPbx.Data.Entities;
using HostedPbx.Data.Voicemail;
using HostedPbx.Switch.EndToEndTests.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.EndToEndTests.Voicemail;

/// <summary>
/// Hearing a voicemail with real baresip handsets (issue 9, first "Done when" line): 201 leaves a message for 202, which
/// is not registered; 202 registers and is told (RFC 3842) of one new message, dials *97, gives its PIN by RFC 4733,
/// hears the message as 201 said it, deletes it, and is told the mailbox is empty.
/// </summary>
public sealed class RetrievalEndToEndTests(PostgresFixture database) : IAsyncLifetime
{
    private const string Pin = "2580";

    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await database.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task MessageFor202_HeardBy202OverStarNinetySevenWithItsPin_CorrelatesAndIsDeleted()
    {
        await using var sut = await SwitchUnderTest.StartAsync(database, _cancel);
        await using (var db = database.CreateOwnerContext())
        {
            await db.Extensions.Where(e => e.Number == "202").ExecuteUpdateAsync(
                s => s.SetProperty(e => e.VoicemailEnabled, true).SetProperty(e => e.VoicemailPinHash, VoicemailPin.Hash(Pin)), _cancel);
        }

        // 201 speaks once the greeting and the tone are over; baresip hangs up at the end of its file.
        var speech = await Audio.MakeSpeechAsync(sut.WorkDirectory, 16, 1.5, _cancel);
        await using var alice = BaresipPeer.Start(
            sut.WorkDirectory, "alice", "201", sut.SipPort, sut.DeviceCertificate("201").CombinedPem(), sut.Root.Certificate.ExportCertificatePem(), speech, 120);
        await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.Registrations.AsNoTracking().AnyAsync(_cancel) ? "registered" : null;
        }, TimeSpan.FromSeconds(20), () => "201's REGISTER\n" + sut.Output + alice.Log);
        await alice.CommandAsync("dial", $"sip:202@127.0.0.1:{sut.SipPort}", _cancel);

        var message = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.VoicemailMessages.AsNoTracking().FirstOrDefaultAsync(m => m.AudioSha256 != null, _cancel);
        }, TimeSpan.FromSeconds(90), () => "a completed message\n" + sut.Output + alice.Log);

        // 202 comes on line and subscribes to its mailbox: one new message, none old.
        var silence = await Audio.MakeSpeechAsync(sut.WorkDirectory, 0.5, 110, _cancel);
        await using var bob = BaresipPeer.Start(
            sut.WorkDirectory, "bob", "202", sut.SipPort, sut.DeviceCertificate("202").CombinedPem(), sut.Root.Certificate.ExportCertificatePem(), silence, 180,
            messageWaiting: true);
        await WaitForLogAsync(bob, sut, "Voice-Message: 1/0", TimeSpan.FromSeconds(30));

        await bob.CommandAsync("dial", $"sip:*97@127.0.0.1:{sut.SipPort}", _cancel);
        await WaitForLogAsync(bob, sut, "Call established", TimeSpan.FromSeconds(20));

        // The PIN and "1" (new messages) by RFC 4733: each digit cuts the prompt short, and the menu takes digits typed ahead.
        await bob.CommandAsync("sndcode", Pin + "#", _cancel);
        await bob.CommandAsync("sndcode", "1", _cancel);

        // Playing it marks it heard (old), and the handset hears the count change.
        await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.VoicemailMessages.AsNoTracking().AnyAsync(m => m.Id == message.Id && m.Status == VoicemailStatus.Saved, _cancel) ? "heard" : null;
        }, TimeSpan.FromSeconds(30), () => "the message played\n" + sut.Output + bob.Log);
        await WaitForLogAsync(bob, sut, "Voice-Message: 0/1", TimeSpan.FromSeconds(30));

        // What 202 records while the message plays: it is 201's speech. Wait for its length of audio to arrive.
        var dump = await Eventually.GetAsync(() => Task.FromResult(Directory.GetFiles(bob.RecordingDirectory, "dump-*-dec.wav").FirstOrDefault()),
            TimeSpan.FromSeconds(20), () => "202's recording\n" + bob.Log);
        var heardFrom = new FileInfo(dump).Length;
        await Eventually.GetAsync(
            () => Task.FromResult(new FileInfo(dump).Length >= heardFrom + (message.DurationMs + 1000) * 16L ? (object?)true : null),
            TimeSpan.FromSeconds(60), () => "the message's length of audio at 202\n" + bob.Log);

        await bob.CommandAsync("sndcode", "7", _cancel);
        await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.VoicemailMessages.AsNoTracking().AnyAsync(m => m.Id == message.Id && m.Status == VoicemailStatus.Deleted, _cancel) ? "deleted" : null;
        }, TimeSpan.FromSeconds(30), () => "the message deleted\n" + sut.Output + bob.Log);
        await WaitForLogAsync(bob, sut, "Voice-Message: 0/0", TimeSpan.FromSeconds(30));
        Assert.False(File.Exists(Path.Combine(sut.VoicemailDirectory, message.StoragePath)));
        await bob.CommandAsync("hangup", "", _cancel);

        var correlation = SpeechSearch.Correlation(SpeechSearch.Voiced(Audio.ReadWav(speech)), Audio.ReadWav(dump));
        Assert.True(correlation >= 0.9, $"202 heard the message with correlation {correlation:0.000}\n{bob.Log}");
    }

    private static async Task WaitForLogAsync(BaresipPeer peer, SwitchUnderTest sut, string text, TimeSpan limit) =>
        await Eventually.GetAsync(
            () => Task.FromResult(peer.Log.Contains(text, StringComparison.Ordinal) ? (object?)true : null), limit, () => $"'{text}' at the handset\n{sut.Output}\n{peer.Log}");
}
