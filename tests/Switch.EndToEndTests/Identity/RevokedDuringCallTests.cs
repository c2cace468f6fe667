using HostedPbx.Data.Entities;
using HostedPbx.Switch.EndToEndTests.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.EndToEndTests.Identity;

/// <summary>A handset whose certificate is revoked in the middle of a call: the switch ends the call (BYE to the other side) at once.</summary>
public sealed class RevokedDuringCallTests(PostgresFixture database) : IAsyncLifetime
{
    private static readonly Dictionary<string, string?> s_hourlyReload = new() { ["Switch__DirectoryRefreshSeconds"] = "3600" };
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await database.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task RevokeCalleeCertificate_CallInProgress_CallEndsAndCallerIsToldBye()
    {
        await using var sut = await SwitchUnderTest.StartAsync(database, s_hourlyReload, null, _cancel);
        // Both handsets would stay in the call for a minute on their own (baresip hangs up when its source ends): the call
        // is still up when the certificate is revoked, however slow the machine.
        var speech = await Audio.MakeSpeechAsync(sut.WorkDirectory, 0.5, 60, _cancel);
        var ca = sut.Root.Certificate.ExportCertificatePem();
        await using var bob = BaresipPeer.Start(sut.WorkDirectory, "bob", "202", sut.SipPort, sut.DeviceCertificate("202").CombinedPem(), ca, speech, 90);
        await using var alice = BaresipPeer.Start(sut.WorkDirectory, "alice", "201", sut.SipPort, sut.DeviceCertificate("201").CombinedPem(), ca, speech, 90);
        await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.Registrations.CountAsync(_cancel) >= 2 ? (object)true : null;
        }, TimeSpan.FromSeconds(20), () => "both REGISTERs\n" + sut.Output + alice.Log + bob.Log);
        await alice.CommandAsync("dial", $"sip:202@127.0.0.1:{sut.SipPort}", _cancel);
        await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.CallRecords.AsNoTracking().FirstOrDefaultAsync(c => c.AnsweredAt != null, _cancel);
        }, TimeSpan.FromSeconds(30), () => "the answered call\n" + sut.Output + alice.Log);

        var revokedAt = TimeProvider.System.GetUtcNow();
        await using (var db = database.CreateOwnerContext())
        {
            var fingerprint = sut.DeviceCertificate("202").Fingerprint;
            var certificate = await db.DeviceCertificates.SingleAsync(c => c.Fingerprint == fingerprint, _cancel);
            certificate.Revoke(RevocationReason.KeyCompromise, revokedAt);
            await db.SaveChangesAsync(_cancel);
        }

        var ended = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.CallRecords.AsNoTracking().FirstOrDefaultAsync(c => c.EndedAt != null, _cancel);
        }, TimeSpan.FromSeconds(10), () => "the call to end\n" + sut.Output + alice.Log);
        Assert.Equal(CallOutcome.Answered, ended.Outcome);
        Assert.True(ended.EndedAt > revokedAt, $"the call ended at {ended.EndedAt:O}, before the revocation at {revokedAt:O}\n{sut.Output}");
        // baresip logs a BYE it received as the call's session closed by the peer ("sip:202@…: session closed:
        // Connection reset by peer"); its later "terminated" line is not always flushed to a pipe in time, so it is not waited for.
        await Eventually.GetAsync(() => Task.FromResult(alice.Log.Split('\n').Any(line => line.Contains("sip:202@", StringComparison.Ordinal)
            && line.Contains("session closed", StringComparison.Ordinal)) ? (object)true : null),
            TimeSpan.FromSeconds(10), () => "the caller to hear the call end\n" + alice.Log);
    }
}
