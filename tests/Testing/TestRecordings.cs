using System.Security.Cryptography;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Media;
using HostedPbx.Data.Recordings;

namespace HostedPbx.Testing;

/// <summary>Completed recordings as the switch leaves them: a sealed stereo file, its row, and its signed manifest in the tenant's chain.</summary>
public static class TestRecordings
{
    /// <summary>A 2.5 s recording of random stereo PCM between <paramref name="from"/> and <paramref name="to"/>, written with the real writer, row and chain.</summary>
    public static async Task<(Recording Recording, byte[] Pcm)> AddAsync(PostgresFixture database, string folder, Guid tenantId, string masterKey,
        string from = "201", string to = "202")
    {
        ArgumentNullException.ThrowIfNull(database);
        using var protector = KeyProtector.FromBase64(masterKey);
        await using var owner = database.CreateOwnerContext();
        var call = await TestCalls.AddAsync(owner, tenantId, from, to);
        var id = Guid.CreateVersion7();
        var key = SealedAudio.NewDataKey();
        var relative = Path.Combine(tenantId.ToString("D"), $"{id:D}.sealed");
        var pcm = new byte[AudioFormat.Stereo8k.BytesPerSecond * 5 / 2];
        RandomNumberGenerator.Fill(pcm);
        SealedAudioSummary summary;
        using (var writer = SealedAudioWriter.Create(Path.Combine(folder, relative), key, AudioFormat.Stereo8k))
        {
            writer.Write(pcm);
            summary = writer.Complete();
        }

        await using var db = database.CreateSwitchContext();
        db.Recordings.Add(new Recording
        {
            Id = id, TenantId = tenantId, CallRecordId = call.Id, StoragePath = relative,
            WrappedDataKey = protector.Protect(key, KeyPurpose.Recording(id)), StartedAt = TestClock.Now,
        });
        await db.SaveChangesAsync();
        using var signer = await RecordingSigner.LoadOrCreateAsync(db, protector, TimeProvider.System, CancellationToken.None);
        await RecordingChain.AppendAsync(db, signer, id, recording => new RecordingManifest
        {
            RecordingId = id, TenantId = tenantId, CallId = call.Id, ChainIndex = 0, FromParty = call.FromParty, ToParty = call.ToParty,
            StartedAt = recording.StartedAt, EndedAt = recording.StartedAt.AddSeconds(2.5), DurationMs = 2500,
            AudioSha256 = summary.Sha256Hex, AudioSizeBytes = summary.SizeBytes, SigningKeyId = Guid.Empty,
        }, CancellationToken.None);
        await using var read = database.CreateOwnerContext();
        return (await read.Recordings.FindAsync(id) ?? throw new InvalidOperationException("the recording is gone"), pcm);
    }

    public static async Task GrantAsync(PostgresFixture database, Guid tenantId)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var owner = database.CreateOwnerContext();
        owner.RetentionSettings.Add(new RetentionSettings { TenantId = tenantId, ResellerMayListen = true });
        await owner.SaveChangesAsync();
    }
}
