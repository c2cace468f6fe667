using HostedPbx.Data.Entities;
using HostedPbx.Switch.EndToEndTests.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.EndToEndTests;

/// <summary>
/// A handset that vanishes mid-call: the other leg gets a BYE once the connection drops (killed) or once media times
/// out (frozen, its TCP connection still open), and the call record ends. The switch runs with a 5 s media timeout.
/// </summary>
public sealed class VanishingHandsetTests(PostgresFixture database) : IAsyncLifetime
{
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await database.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Call_CalleeVanishes_CallerGetsByeAndRecordEnds(bool freeze)
    {
        await using var sut = await SwitchUnderTest.StartAsync(database, new Dictionary<string, string?> { ["Switch__MediaTimeoutSeconds"] = "5" }, null, _cancel);
        // alice would talk for ~25 s on her own: an end well before that is the switch's doing.
        var speech = await Audio.MakeSpeechAsync(sut.WorkDirectory, 0.5, 20, _cancel);
        var ca = sut.Root.Certificate.ExportCertificatePem();
        // Disposing kills it, frozen or not.
        await using var bob = BaresipPeer.Start(sut.WorkDirectory, "bob", "202", sut.SipPort, sut.DeviceCertificate("202").CombinedPem(), ca, speech, 60);
        await using var alice = BaresipPeer.Start(sut.WorkDirectory, "alice", "201", sut.SipPort, sut.DeviceCertificate("201").CombinedPem(), ca, speech, 60);
        await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.Registrations.CountAsync(_cancel) >= 2 ? (object?)true : null;
        }, TimeSpan.FromSeconds(20), () => "both REGISTERs\n" + sut.Output + alice.Log + bob.Log);
        await alice.CommandAsync("dial", $"sip:202@127.0.0.1:{sut.SipPort}", _cancel);
        await Eventually.GetAsync(
            () => Task.FromResult(alice.Log.Contains("Call established", StringComparison.Ordinal) ? (object?)true : null),
            TimeSpan.FromSeconds(15), () => "the call to be answered\n" + alice.Log + sut.Output);
        var vanished = TimeProvider.System.GetUtcNow();
        bob.Vanish(freeze);

        var record = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.CallRecords.AsNoTracking().FirstOrDefaultAsync(c => c.EndedAt != null, _cancel);
        }, TimeSpan.FromSeconds(15), () => "the call to end after 202 vanished\n" + sut.Output);
        // baresip logs the BYE it got as the call closing ("session closed") before its own source ran out.
        await Eventually.GetAsync(
            () => Task.FromResult(alice.Log.Contains("session closed", StringComparison.Ordinal) || alice.Log.Contains("terminated", StringComparison.Ordinal) ? (object?)true : null),
            TimeSpan.FromSeconds(5), () => "alice to get the switch's BYE\n" + alice.Log);

        Assert.Equal(CallOutcome.Answered, record.Outcome);
        var after = record.EndedAt!.Value - vanished;
        Assert.True(after < TimeSpan.FromSeconds(freeze ? 12 : 3), $"the call ended {after.TotalSeconds:0.0} s after 202 vanished");
        // Not alice's own hang-up at the end of her WAV ("audio error (0,end of file)"), which would come first.
        var log = alice.Log;
        var closed = Math.Max(log.IndexOf("session closed", StringComparison.Ordinal), log.IndexOf("terminated", StringComparison.Ordinal));
        var ownEnd = log.IndexOf("audio error", StringComparison.Ordinal);
        Assert.True(ownEnd < 0 || ownEnd > closed, "alice hung up herself before the switch's BYE\n" + log);
    }
}
