using HostedPbx.Data.Entities;
using HostedPbx.Switch.EndToEndTests.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.EndToEndTests.Calls;

/// <summary>
/// Blind transfer with real baresip handsets: 201 calls 202, 202 transfers the call to 203 (baresip's <c>/transfer</c>,
/// a REFER), and 201's speech, which starts only after the transfer, reaches 203.
/// </summary>
public sealed class TransferEndToEndTests(PostgresFixture database) : IAsyncLifetime
{
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await database.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task BlindTransfer_202Transfers201To203_203HearsTheSpeechAndTheRecordShowsAllThree()
    {
        await using var sut = await SwitchUnderTest.StartAsync(database, _cancel);
        var ca = sut.Root.Certificate.ExportCertificatePem();

        // 201 is silent for the first 15 s (baresip hangs up when its file ends, so this also sets the call's length).
        var speech = await Audio.MakeSpeechAsync(sut.WorkDirectory, 15, 1.5, _cancel);
        var longCall = await Audio.MakeSpeechAsync(sut.WorkDirectory, 0.5, 30, _cancel);
        await using var alice = BaresipPeer.Start(sut.WorkDirectory, "alice", "201", sut.SipPort, sut.DeviceCertificate("201").CombinedPem(), ca, speech, 60);
        await using var bob = BaresipPeer.Start(sut.WorkDirectory, "bob", "202", sut.SipPort, sut.DeviceCertificate("202").CombinedPem(), ca, longCall, 60);
        await using var carol = BaresipPeer.Start(sut.WorkDirectory, "carol", "203", sut.SipPort, sut.DeviceCertificate("203").CombinedPem(), ca, longCall, 60);
        await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            var rows = await db.Registrations.AsNoTracking().CountAsync(_cancel);
            return rows >= 3 ? (object)rows : null;
        }, TimeSpan.FromSeconds(20), () => "three REGISTERs\n" + sut.Output + alice.Log + bob.Log + carol.Log);

        await alice.CommandAsync("dial", $"sip:202@127.0.0.1:{sut.SipPort}", _cancel);
        await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.CallRecords.AsNoTracking().FirstOrDefaultAsync(c => c.AnsweredAt != null, _cancel);
        }, TimeSpan.FromSeconds(30), () => "202 answering\n" + sut.Output + alice.Log + bob.Log);

        await bob.CommandAsync("transfer", $"sip:203@127.0.0.1:{sut.SipPort}", _cancel);

        var record = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.CallRecords.AsNoTracking().Include(c => c.Legs).FirstOrDefaultAsync(c => c.EndedAt != null, _cancel);
        }, TimeSpan.FromSeconds(90), () => "the call record\n" + sut.Output + alice.Log + bob.Log + carol.Log);
        var received = await Eventually.GetAsync(
            () => Task.FromResult(Directory.GetFiles(carol.RecordingDirectory, "dump-*-dec.wav").FirstOrDefault()),
            TimeSpan.FromSeconds(10), "carol's recording");

        Assert.Equal(CallOutcome.Answered, record.Outcome);
        Assert.Equal(
            [SwitchUnderTest.MacOf("201"), SwitchUnderTest.MacOf("202"), SwitchUnderTest.MacOf("203")],
            record.Legs.OrderBy(l => l.Position).Select(l => l.PeerMac));

        // Both start where the speech starts: 201's silence before it and 203's time before the transfer are cut.
        var sent = FromFirstSound(Audio.ReadWav(Path.Combine(sut.WorkDirectory, "speech_8k.wav")));
        var heard = FromFirstSound(Audio.ReadWav(received));
        var correlation = Audio.MaxNormalizedCorrelation(sent, heard, 4000);
        Assert.True(correlation > 0.9, $"speech correlation {correlation:0.000}\n{sut.Output}\n{bob.Log}");
    }

    private static float[] FromFirstSound(float[] samples)
    {
        var loudest = samples.Length == 0 ? 0 : samples.Max(Math.Abs);
        var first = Array.FindIndex(samples, s => Math.Abs(s) > loudest * 0.1f);
        return first < 0 ? [] : samples[Math.Max(0, first - 800)..];
    }
}
