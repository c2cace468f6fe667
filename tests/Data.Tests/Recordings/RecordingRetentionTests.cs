using System.Security.Cryptography;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Recordings;
using HostedPbx.Data.Tenancy;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Data.Tests.Recordings;

/// <summary>Retention and legal hold (issue 10 item 5) on real PostgreSQL (the portal's role, system scope) and real sealed files.</summary>
public sealed class RecordingRetentionTests(PostgresFixture database) : IAsyncLifetime
{
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;
    private readonly string _folder = Directory.CreateTempSubdirectory("retention-").FullName;
    private readonly KeyProtector _protector = new(RandomNumberGenerator.GetBytes(32));
    private Guid _tenant;
    private Guid _extension;
    private ChainedRecordings _recordings = null!;
    private RecordingSigner _signer = null!;

    public async ValueTask InitializeAsync()
    {
        await database.ResetAsync();
        _recordings = new ChainedRecordings(database, _folder, _protector);
        await using var owner = database.CreateOwnerContext();
        var arranged = await TestTenants.AddAsync(owner, "Acme", "001565000001");
        _tenant = arranged.Tenant.Id;
        _extension = await owner.Extensions.Where(e => e.TenantId == _tenant && e.Number == "201").Select(e => e.Id).SingleAsync(_cancel);
        owner.RetentionSettings.Add(new RetentionSettings { TenantId = _tenant, RecordingDays = 30 });
        await owner.SaveChangesAsync(_cancel);
        await using var db = database.CreateSwitchContext();
        _signer = await RecordingSigner.LoadOrCreateAsync(db, _protector, TimeProvider.System, _cancel);
    }

    public ValueTask DisposeAsync()
    {
        _signer.Dispose();
        _protector.Dispose();
        Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Run_PastRetention_DeletesWhatIsNotHeldAndTheChainStillVerifies()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await _recordings.AddAsync(_tenant, _signer, "301", _cancel));
        }

        await HoldAsync(LegalHoldScope.Recording, recording: ids[1]);
        await HoldAsync(LegalHoldScope.Recording, recording: ids[3], lifted: true);

        var result = await RunAsync(TestClock.Now.AddDays(31));

        Assert.Equal(new RecordingRetentionResult(3, 1), result);
        await using var db = database.CreateOwnerContext();
        var rows = await db.Recordings.AsNoTracking().Where(r => r.TenantId == _tenant).OrderBy(r => r.ChainIndex).ToListAsync(_cancel);
        Assert.Equal([RecordingStatus.Deleted, RecordingStatus.Complete, RecordingStatus.Deleted, RecordingStatus.Deleted], rows.Select(r => r.Status));
        Assert.Equal([false, true, false, false], rows.Select(r => File.Exists(Path.Combine(_folder, r.StoragePath))));
        Assert.All(rows.Where(r => r.Status == RecordingStatus.Deleted), r => Assert.Empty(r.WrappedDataKey));
        var verification = await new RecordingVerifier(_folder, _protector).VerifyAsync(db, _tenant, _cancel);
        Assert.True(verification.Intact, string.Join("; ", verification.Findings));
        Assert.Equal(4, verification.Checked);
        Assert.Equal([ids[0], ids[2], ids[3]], verification.Deleted.Select(d => d.RecordingId));
        Assert.All(verification.Deleted, d => Assert.Equal("deleted under retention", d.Detail));
        var audited = await db.AuditEvents.AsNoTracking().Where(a => a.Action == "recording.delete").Select(a => a.TargetId).ToListAsync(_cancel);
        Assert.Equal(new[] { ids[0], ids[2], ids[3] }.Select(id => id.ToString("D")).Order(), audited.Order());
    }

    [Fact]
    public async Task Run_Twice_DeletesOnce()
    {
        await _recordings.AddAsync(_tenant, _signer, "301", _cancel);

        var first = await RunAsync(TestClock.Now.AddDays(31));
        var second = await RunAsync(TestClock.Now.AddDays(32));

        Assert.Equal(1, first.Deleted);
        Assert.Equal(0, second.Deleted);
        await using var db = database.CreateOwnerContext();
        Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.Action == "recording.delete", _cancel));
    }

    [Fact]
    public async Task Run_WithinRetention_DeletesNothing()
    {
        await _recordings.AddAsync(_tenant, _signer, "301", _cancel);

        var result = await RunAsync(TestClock.Now.AddDays(29));

        Assert.Equal(new RecordingRetentionResult(0, 0), result);
    }

    [Fact]
    public async Task Run_TenantHeld_KeepsEverythingUntilLifted()
    {
        await _recordings.AddAsync(_tenant, _signer, "301", _cancel);
        await _recordings.AddAsync(_tenant, _signer, "201", _cancel);
        var hold = await HoldAsync(LegalHoldScope.Tenant);

        var held = await RunAsync(TestClock.Now.AddDays(31));
        await LiftAsync(hold);
        var lifted = await RunAsync(TestClock.Now.AddDays(31));

        Assert.Equal(new RecordingRetentionResult(0, 2), held);
        Assert.Equal(new RecordingRetentionResult(2, 0), lifted);
    }

    [Fact]
    public async Task Run_ExtensionHeld_KeepsOnlyTheCallsItIsAPartyTo()
    {
        var ofHeld = await _recordings.AddAsync(_tenant, _signer, "201", _cancel);
        var other = await _recordings.AddAsync(_tenant, _signer, "301", _cancel);
        await HoldAsync(LegalHoldScope.Extension, extension: _extension);

        var result = await RunAsync(TestClock.Now.AddDays(31));

        Assert.Equal(new RecordingRetentionResult(1, 1), result);
        await using var db = database.CreateOwnerContext();
        Assert.Equal(RecordingStatus.Complete, (await db.Recordings.SingleAsync(r => r.Id == ofHeld, _cancel)).Status);
        Assert.Equal(RecordingStatus.Deleted, (await db.Recordings.SingleAsync(r => r.Id == other, _cancel)).Status);
        Assert.True(await RecordingRetention.IsHeldAsync(db, await db.Recordings.SingleAsync(r => r.Id == ofHeld, _cancel), _cancel));
    }

    private async Task<RecordingRetentionResult> RunAsync(DateTimeOffset now)
    {
        await using var db = database.CreateAppContext(DbScope.System);
        return await new RecordingRetention(_folder, new FixedTime(now)).RunAsync(db, _cancel);
    }

    private async Task<Guid> HoldAsync(LegalHoldScope scope, Guid? recording = null, Guid? extension = null, bool lifted = false)
    {
        await using var db = database.CreateOwnerContext();
        var hold = new LegalHold
        {
            TenantId = _tenant, Scope = scope, RecordingId = recording, ExtensionId = extension, Reason = "litigation 2026-17", PlacedBy = "officer@acme.test",
            PlacedAt = TestClock.Now, LiftedAt = lifted ? TestClock.Now : null, LiftedBy = lifted ? "officer@acme.test" : null,
        };
        db.LegalHolds.Add(hold);
        await db.SaveChangesAsync(_cancel);
        return hold.Id;
    }

    private async Task LiftAsync(Guid hold)
    {
        await using var db = database.CreateOwnerContext();
        var row = await db.LegalHolds.SingleAsync(h => h.Id == hold, _cancel);
        row.LiftedAt = TestClock.Now;
        row.LiftedBy = "officer@acme.test";
        await db.SaveChangesAsync(_cancel);
    }
}
