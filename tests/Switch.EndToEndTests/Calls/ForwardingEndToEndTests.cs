using HostedPbx.Data.Entities;
using HostedPbx.Switch.EndToEndTests.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.EndToEndTests.Calls;

/// <summary>Call forwarding with real baresip handsets: 202 does not answer, and its calls go to 203 after its own seconds.</summary>
public sealed class ForwardingEndToEndTests(PostgresFixture database) : IAsyncLifetime
{
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await database.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task ForwardNoAnswer_202RingsOutAnd203AnswersWithSpeech()
    {
        await using var sut = await SwitchUnderTest.StartAsync(database, _cancel);
        await using (var db = database.CreateOwnerContext())
        {
            // The switch hears of the change through the directory's NOTIFY, as it would from the API.
            await db.Extensions.Where(e => e.Number == "202")
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.ForwardNoAnswer, "203").SetProperty(e => e.ForwardNoAnswerSeconds, 5), _cancel);
        }

        await CallReaches203Async(sut, rejectAt202: false);
    }

    [Fact]
    public async Task ForwardBusy_202Rejects486And203AnswersWithSpeech()
    {
        await using var sut = await SwitchUnderTest.StartAsync(database, _cancel);
        await using (var db = database.CreateOwnerContext())
        {
            await db.Extensions.Where(e => e.Number == "202").ExecuteUpdateAsync(s => s.SetProperty(e => e.ForwardBusy, "203"), _cancel);
        }

        await CallReaches203Async(sut, rejectAt202: true);
    }

    /// <summary>201 dials 202, which never answers (or rejects: baresip's hangup of a ringing call is 486); 203 answers.</summary>
    private async Task CallReaches203Async(SwitchUnderTest sut, bool rejectAt202)
    {

        var speech = await Audio.MakeSpeechAsync(sut.WorkDirectory, _cancel);
        var ca = sut.Root.Certificate.ExportCertificatePem();
        await using var bob = BaresipPeer.Start(sut.WorkDirectory, "bob", "202", sut.SipPort, sut.DeviceCertificate("202").CombinedPem(), ca, speech, 40, answerMode: "manual");
        await using var carol = BaresipPeer.Start(sut.WorkDirectory, "carol", "203", sut.SipPort, sut.DeviceCertificate("203").CombinedPem(), ca, speech, 40);
        await using var alice = BaresipPeer.Start(sut.WorkDirectory, "alice", "201", sut.SipPort, sut.DeviceCertificate("201").CombinedPem(), ca, speech, 40);
        await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            var rows = await db.Registrations.AsNoTracking().CountAsync(_cancel);
            return rows >= 3 ? (object)rows : null;
        }, TimeSpan.FromSeconds(20), () => "three REGISTERs\n" + sut.Output + alice.Log + bob.Log + carol.Log);

        await alice.CommandAsync("dial", $"sip:202@127.0.0.1:{sut.SipPort}", _cancel);
        if (rejectAt202)
        {
            await Eventually.GetAsync(
                () => Task.FromResult(bob.Log.Contains("Incoming call", StringComparison.OrdinalIgnoreCase) ? "ringing" : null),
                TimeSpan.FromSeconds(20), () => "202 ringing\n" + bob.Log);
            await bob.CommandAsync("hangup", "", _cancel);
        }

        var record = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.CallRecords.AsNoTracking().Include(c => c.Legs).FirstOrDefaultAsync(c => c.EndedAt != null, _cancel);
        }, TimeSpan.FromSeconds(75), () => "the call record\n" + sut.Output + alice.Log + bob.Log + carol.Log);
        var received = await Eventually.GetAsync(
            () => Task.FromResult(Directory.GetFiles(carol.RecordingDirectory, "dump-*-dec.wav").FirstOrDefault()),
            TimeSpan.FromSeconds(10), "carol's recording");

        Assert.Equal(CallOutcome.Answered, record.Outcome);
        Assert.Equal([SwitchUnderTest.MacOf("201"), SwitchUnderTest.MacOf("203")], record.Legs.OrderBy(l => l.Position).Select(l => l.PeerMac));
        Assert.True(!Directory.Exists(bob.RecordingDirectory) || Directory.GetFiles(bob.RecordingDirectory, "dump-*-dec.wav").Length == 0, "202 never answered");
        var correlation = Audio.MaxNormalizedCorrelation(Audio.ReadWav(speech), Audio.ReadWav(received), 8000);
        Assert.True(correlation > 0.9, $"speech correlation {correlation:0.000}\n{sut.Output}");
    }
}
