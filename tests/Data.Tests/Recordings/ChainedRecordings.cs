using System.Security.Cryptography;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Media;
using HostedPbx.Data.Recordings;
using HostedPbx.Testing;

namespace HostedPbx.Data.Tests.Recordings;

/// <summary>Recordings as the switch leaves them: a sealed file in a folder, the row written by its role, chained and signed.</summary>
internal sealed class ChainedRecordings(PostgresFixture database, string folder, KeyProtector protector)
{
    public async Task<Guid> AddAsync(Guid tenantId, RecordingSigner signer, string from, CancellationToken cancel)
    {
        await using var owner = database.CreateOwnerContext();
        var call = await TestCalls.AddAsync(owner, tenantId, from);
        var id = Guid.CreateVersion7();
        var key = SealedAudio.NewDataKey();
        var relative = Path.Combine(tenantId.ToString("D"), $"{id:D}.sealed");
        using (var writer = SealedAudioWriter.Create(Path.Combine(folder, relative), key, AudioFormat.Stereo8k))
        {
            var pcm = new byte[AudioFormat.Stereo8k.BytesPerSecond / 2];
            RandomNumberGenerator.Fill(pcm);
            writer.Write(pcm);
            writer.Complete();
        }

        await using (var db = database.CreateSwitchContext())
        {
            db.Recordings.Add(new Recording
            {
                Id = id, TenantId = tenantId, CallRecordId = call.Id, StoragePath = relative,
                WrappedDataKey = protector.Protect(key, KeyPurpose.Recording(id)), StartedAt = TestClock.Now,
            });
            await db.SaveChangesAsync(cancel);
        }

        await using (var db = database.CreateSwitchContext())
        {
            await RecordingChain.AppendAsync(db, signer, id, recording =>
            {
                using var reader = SealedAudioReader.Open(Path.Combine(folder, recording.StoragePath), key);
                return new RecordingManifest
                {
                    RecordingId = id, TenantId = recording.TenantId, CallId = recording.CallRecordId, ChainIndex = 0, FromParty = from, ToParty = "202",
                    StartedAt = recording.StartedAt, EndedAt = recording.StartedAt.AddSeconds(0.5), DurationMs = (long)reader.Duration.TotalMilliseconds,
                    AudioSha256 = reader.ComputeSha256Hex(), AudioSizeBytes = new FileInfo(Path.Combine(folder, recording.StoragePath)).Length, SigningKeyId = Guid.Empty,
                };
            }, cancel);
        }

        return id;
    }
}
