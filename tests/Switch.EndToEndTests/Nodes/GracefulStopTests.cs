using HostedPbx.Data.Entities;
using HostedPbx.Switch.EndToEndTests.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.EndToEndTests.Nodes;

/// <summary>A switch node stopped with SIGTERM mid-call: no new calls, the call in progress finishes, then it leaves.</summary>
public sealed class GracefulStopTests(PostgresFixture database) : IAsyncLifetime
{
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await database.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Sigterm_MidCall_NewInviteRefused503_CallFinishesWithSpeech_NodeLeaves()
    {
        await using var sut = await SwitchUnderTest.StartAsync(
            database, new Dictionary<string, string?> { ["Switch__DrainGraceSeconds"] = "120" }, null, _cancel);
        // baresip hangs up when its source ends: a minute of silence after the speech keeps the call up through every
        // step below however slow the machine; Alice hangs up once carol is refused and Bob has the sentence. (With the
        // speech alone the call lasted 5 s; on a loaded machine it ended, and the node left, before the steps ended.)
        var speech = await Audio.MakeSpeechAsync(sut.WorkDirectory, 0.5, 60, _cancel);
        var ca = sut.Root.Certificate.ExportCertificatePem();
        await using var bob = BaresipPeer.Start(sut.WorkDirectory, "bob", "202", sut.SipPort, sut.DeviceCertificate("202").CombinedPem(), ca, speech, 90);
        await using var carol = BaresipPeer.Start(sut.WorkDirectory, "carol", "203", sut.SipPort, sut.DeviceCertificate("203").CombinedPem(), ca, speech, 90);
        await using var alice = BaresipPeer.Start(sut.WorkDirectory, "alice", "201", sut.SipPort, sut.DeviceCertificate("201").CombinedPem(), ca, speech, 90);
        await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.Registrations.CountAsync(_cancel) >= 3 ? (object)true : null;
        }, TimeSpan.FromSeconds(20), () => "three REGISTERs\n" + sut.Output + alice.Log + bob.Log + carol.Log);
        await alice.CommandAsync("dial", $"sip:202@127.0.0.1:{sut.SipPort}", _cancel);
        await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.CallRecords.AsNoTracking().FirstOrDefaultAsync(c => c.AnsweredAt != null, _cancel);
        }, TimeSpan.FromSeconds(30), () => "the answered call\n" + sut.Output + alice.Log);

        var sigterm = TimeProvider.System.GetUtcNow();
        var stopped = sut.StopGracefullyAsync();
        var draining = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.SwitchNodes.AsNoTracking().FirstOrDefaultAsync(n => n.Name == sut.NodeName && n.Draining, _cancel);
        }, TimeSpan.FromSeconds(20), () => "the node marked draining\n" + sut.Output);
        await carol.CommandAsync("dial", $"sip:201@127.0.0.1:{sut.SipPort}", _cancel);
        await Eventually.GetAsync(
            () => Task.FromResult(carol.Log.Contains("503 Switch Node Draining", StringComparison.Ordinal) ? (object)true : null),
            TimeSpan.FromSeconds(20), () => "carol's call refused\n" + carol.Log + sut.Output);
        // The call in progress goes on through the drain until Bob has the whole sentence (his recording is as long as
        // the speech with its leading silence, and half a second more); then Alice ends it inside the grace period.
        await bob.WaitUntilHeardSentenceAsync(
            sut.WorkDirectory, 0.5, TimeSpan.FromSeconds(30), () => "Bob's recording of the whole sentence\n" + bob.Log + sut.Output);
        Assert.False(stopped.IsCompleted, "the switch stopped before the call in progress ended\n" + sut.Output);
        await alice.CommandAsync("hangup", "", _cancel);
        var exitCode = await stopped;

        await using var check = database.CreateOwnerContext();
        var record = await check.CallRecords.AsNoTracking().SingleAsync(_cancel);
        Assert.Equal(0, exitCode);
        Assert.True(draining.Draining);
        Assert.Equal(CallOutcome.Answered, record.Outcome);
        Assert.NotNull(record.EndedAt);
        Assert.True(record.EndedAt > sigterm, $"the call ended at {record.EndedAt:O}, before SIGTERM at {sigterm:O}\n{sut.Output}");
        Assert.Contains("drained: 0 calls still up", sut.Output, StringComparison.Ordinal);
        Assert.False(await check.SwitchNodes.AnyAsync(_cancel));
        Assert.False(await check.Registrations.AnyAsync(_cancel));
        var received = Directory.GetFiles(bob.RecordingDirectory, "dump-*-dec.wav").Single();
        var correlation = Audio.MaxNormalizedCorrelation(Audio.ReadWav(speech), Audio.ReadWav(received), 8000);
        Assert.True(correlation > 0.9, $"speech correlation {correlation:0.000}\n{sut.Output}");
    }
}
