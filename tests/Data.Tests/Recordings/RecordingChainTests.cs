using System.Security.Cryptography;
using System.Text;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Media;
using HostedPbx.Data.Recordings;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Data.Tests.Recordings;

/// <summary>The manifest chain as the switch writes it (its own role) and as a verifier walks it, on real PostgreSQL and real files.</summary>
public sealed class RecordingChainTests(PostgresFixture database) : IAsyncLifetime
{
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;
    private readonly string _folder = Directory.CreateTempSubdirectory("recordings-").FullName;
    private readonly KeyProtector _protector = new(RandomNumberGenerator.GetBytes(32));

    public async ValueTask InitializeAsync() => await database.ResetAsync();

    public ValueTask DisposeAsync()
    {
        _protector.Dispose();
        Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Append_ThreeRecordings_ChainsThemInOrderWithSignedManifests()
    {
        var tenant = await ArrangeTenantAsync("Acme", "001565000001");
        using var signer = await SignerAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await RecordAsync(tenant, signer));
        }

        await using var db = database.CreateOwnerContext();
        var chain = await db.Recordings.AsNoTracking().Where(r => r.TenantId == tenant).OrderBy(r => r.ChainIndex).ToListAsync(_cancel);
        var result = await new RecordingVerifier(_folder, _protector).VerifyAsync(db, tenant, _cancel);

        Assert.Equal(ids, chain.Select(r => r.Id));
        Assert.Equal([1L, 2L, 3L], chain.Select(r => r.ChainIndex!.Value));
        Assert.Null(chain[0].PreviousManifestSha256);
        Assert.Equal(chain[0].ManifestSha256, chain[1].PreviousManifestSha256);
        Assert.Equal(chain[1].ManifestSha256, chain[2].PreviousManifestSha256);
        Assert.All(chain, r => Assert.Equal(RecordingStatus.Complete, r.Status));
        Assert.All(chain, r => Assert.True(RecordingSigner.Verify(signer.PublicKey, Encoding.UTF8.GetBytes(r.Manifest!), r.ManifestSignature!)));
        Assert.True(result.Intact, string.Join("; ", result.Findings));
        Assert.Equal(3, result.Checked);
    }

    [Fact]
    public async Task Verify_OneFileDeletedAndOneByteOfAnotherAltered_NamesExactlyThoseTwo()
    {
        var tenant = await ArrangeTenantAsync("Acme", "001565000001");
        using var signer = await SignerAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await RecordAsync(tenant, signer));
        }

        await using var db = database.CreateOwnerContext();
        var rows = await db.Recordings.AsNoTracking().Where(r => r.TenantId == tenant).ToDictionaryAsync(r => r.Id, _cancel);
        File.Delete(Path.Combine(_folder, rows[ids[1]].StoragePath));
        var altered = Path.Combine(_folder, rows[ids[3]].StoragePath);
        var bytes = await File.ReadAllBytesAsync(altered, _cancel);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(altered, bytes, _cancel);

        var result = await new RecordingVerifier(_folder, _protector).VerifyAsync(db, tenant, _cancel);

        Assert.Equal(
            [(ids[1], RecordingProblem.Missing), (ids[3], RecordingProblem.Altered)],
            result.Findings.Select(f => (f.RecordingId!.Value, f.Problem)));
    }

    [Fact]
    public async Task Verify_RowDeletedOrManifestEdited_NamesTheGapAndTheEditedOne()
    {
        var tenant = await ArrangeTenantAsync("Acme", "001565000001");
        using var signer = await SignerAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await RecordAsync(tenant, signer));
        }

        await using var db = database.CreateOwnerContext();
        // Behind the platform's back: a row removed, and another's manifest rewritten to a shorter call.
        await db.Database.ExecuteSqlAsync($"DELETE FROM recordings WHERE id = {ids[1]}", _cancel);
        await db.Database.ExecuteSqlAsync($"UPDATE recordings SET manifest = replace(manifest, '\"durationMs\": 1500', '\"durationMs\": 900') WHERE id = {ids[3]}", _cancel);

        var result = await new RecordingVerifier(_folder, _protector).VerifyAsync(db, tenant, _cancel);

        Assert.Equal(
            [(2L, (Guid?)null, RecordingProblem.Missing), (4L, ids[3], RecordingProblem.Altered)],
            result.Findings.Select(f => (f.ChainIndex, f.RecordingId, f.Problem)));
    }

    [Fact]
    public async Task Append_ManyAtOnce_TakeDistinctPlacesInOneUnbrokenChain()
    {
        var tenant = await ArrangeTenantAsync("Acme", "001565000001");
        using var signer = await SignerAsync();
        var rows = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            rows.Add(await StartAsync(tenant));
        }

        // Each completes on its own connection, as recordings of concurrent calls do.
        await Task.WhenAll(rows.Select(id => Task.Run(() => CompleteAsync(id, signer), _cancel)));

        await using var db = database.CreateOwnerContext();
        var result = await new RecordingVerifier(_folder, _protector).VerifyAsync(db, tenant, _cancel);
        var indexes = await db.Recordings.Where(r => r.TenantId == tenant).Select(r => r.ChainIndex!.Value).OrderBy(i => i).ToListAsync(_cancel);

        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L], indexes);
        Assert.True(result.Intact, string.Join("; ", result.Findings));
    }

    [Fact]
    public async Task Chains_OfTwoTenants_AreSeparate()
    {
        var acme = await ArrangeTenantAsync("Acme", "001565000001");
        var globex = await ArrangeTenantAsync("Globex", "001565000002");
        using var signer = await SignerAsync();
        await RecordAsync(acme, signer);
        await RecordAsync(globex, signer);
        await RecordAsync(acme, signer);

        await using var db = database.CreateOwnerContext();
        var globexChain = await db.Recordings.Where(r => r.TenantId == globex).Select(r => r.ChainIndex).ToListAsync(_cancel);
        var acmeResult = await new RecordingVerifier(_folder, _protector).VerifyAsync(db, acme, _cancel);

        Assert.Equal([1L], globexChain);
        Assert.Equal(2, acmeResult.Checked);
        Assert.True(acmeResult.Intact);
    }

    private async Task<Guid> ArrangeTenantAsync(string name, string mac)
    {
        await using var owner = database.CreateOwnerContext();
        return (await TestTenants.AddAsync(owner, name, mac)).Tenant.Id;
    }

    private async Task<RecordingSigner> SignerAsync()
    {
        await using var db = database.CreateSwitchContext();
        return await RecordingSigner.LoadOrCreateAsync(db, _protector, TimeProvider.System, _cancel);
    }

    private async Task<Guid> RecordAsync(Guid tenantId, RecordingSigner signer)
    {
        var id = await StartAsync(tenantId);
        await CompleteAsync(id, signer);
        return id;
    }

    /// <summary>As the switch does when a call is bridged: the sealed file written and the row in status Recording.</summary>
    private async Task<Guid> StartAsync(Guid tenantId)
    {
        await using var owner = database.CreateOwnerContext();
        var call = await TestCalls.AddAsync(owner, tenantId);
        var id = Guid.CreateVersion7();
        var key = SealedAudio.NewDataKey();
        var relative = Path.Combine(tenantId.ToString("D"), $"{id:D}.sealed");
        using (var writer = SealedAudioWriter.Create(Path.Combine(_folder, relative), key, AudioFormat.Stereo8k))
        {
            var pcm = new byte[AudioFormat.Stereo8k.BytesPerSecond * 3 / 2];
            RandomNumberGenerator.Fill(pcm);
            writer.Write(pcm);
            writer.Complete();
        }

        await using var db = database.CreateSwitchContext();
        db.Recordings.Add(new Recording
        {
            Id = id, TenantId = tenantId, CallRecordId = call.Id, StoragePath = relative,
            WrappedDataKey = _protector.Protect(key, KeyPurpose.Recording(id)), StartedAt = TestClock.Now,
        });
        await db.SaveChangesAsync(_cancel);
        return id;
    }

    private async Task CompleteAsync(Guid id, RecordingSigner signer)
    {
        await using var db = database.CreateSwitchContext();
        await RecordingChain.AppendAsync(db, signer, id, recording =>
        {
            var key = _protector.Unprotect(recording.WrappedDataKey, KeyPurpose.Recording(id));
            using var reader = SealedAudioReader.Open(Path.Combine(_folder, recording.StoragePath), key);
            return new RecordingManifest
            {
                RecordingId = id, TenantId = recording.TenantId, CallId = recording.CallRecordId, ChainIndex = 0, FromParty = "201", ToParty = "202",
                StartedAt = recording.StartedAt, EndedAt = recording.StartedAt.AddSeconds(1.5), DurationMs = (long)reader.Duration.TotalMilliseconds,
                AudioSha256 = reader.ComputeSha256Hex(), AudioSizeBytes = new FileInfo(Path.Combine(_folder, recording.StoragePath)).Length, SigningKeyId = Guid.Empty,
            };
        }, _cancel);
    }
}
