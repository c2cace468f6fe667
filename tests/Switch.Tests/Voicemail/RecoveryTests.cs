using HostedPbx.Data.Certificates;
using HostedPbx.Data.Media;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.Tests.Voicemail;

/// <summary>A message the switch was writing when it died is completed at the next start, up to its last whole second.</summary>
[Collection(VoicemailDatabase.Name)]
public sealed class RecoveryTests(PostgresFixture database)
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task RecoverAsync_MessageLeftOpen_KeepsItsWholeSecondsAndIsMarkedCutShort()
    {
        await using var scene = await MailboxScene.StartAsync(database, 32700, _ct);
        var message = await scene.Store.BeginAsync(scene.Tenant.Id, scene.Callee.Id, Guid.CreateVersion7(), "201", null, _ct);
        var pcm = new byte[AudioFormat.Mono8k.BytesPerSecond * 5 / 2];
        Random.Shared.NextBytes(pcm);
        using (var writer = SealedAudioWriter.Create(message.Path, message.DataKey, AudioFormat.Mono8k))
        {
            // Two and a half seconds written, never completed: the switch "died" here.
            writer.Write(pcm);
        }

        Assert.Equal(1, await scene.Store.RecoverAsync(_ct));

        await using var db = database.CreateOwnerContext();
        var row = await db.VoicemailMessages.AsNoTracking().SingleAsync(_ct);
        Assert.True(row.CutShort);
        Assert.Equal(2000, row.DurationMs);
        var dataKey = scene.Keys.Unprotect(row.WrappedDataKey, KeyPurpose.Voicemail(row.Id));
        using var reader = SealedAudioReader.Open(message.Path, dataKey);
        Assert.True(reader.IsSealed);
        Assert.Equal(row.AudioSha256, reader.ComputeSha256Hex());
        using var stream = reader.OpenPcm();
        var kept = new byte[reader.PcmLength];
        stream.ReadExactly(kept);
        Assert.Equal(pcm.AsSpan(0, AudioFormat.Mono8k.BytesPerSecond * 2).ToArray(), kept);

        // A second start finds nothing left to recover.
        Assert.Equal(0, await scene.Store.RecoverAsync(_ct));
    }

    [Fact]
    public async Task RecoverAsync_RowWithoutFile_IsMarkedDeleted()
    {
        await using var scene = await MailboxScene.StartAsync(database, 32750, _ct);
        await scene.Store.BeginAsync(scene.Tenant.Id, scene.Callee.Id, Guid.CreateVersion7(), "201", null, _ct);

        await scene.Store.RecoverAsync(_ct);

        await using var db = database.CreateOwnerContext();
        Assert.Equal(HostedPbx.Data.Entities.VoicemailStatus.Deleted, (await db.VoicemailMessages.AsNoTracking().SingleAsync(_ct)).Status);
    }
}
