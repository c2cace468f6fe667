using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Recordings;
using HostedPbx.Switch.Calls.Recording;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace HostedPbx.Switch.Tests.Recordings;

/// <summary>
/// Per-tenant recording codes (shared/DESIGN.md, "each tenant can change them"): the switch reads each tenant's codes
/// with its policies, and a call of a tenant that chose <c>*5</c> starts and stops with <c>*5</c> while <c>*1</c> does nothing.
/// </summary>
public sealed class TenantFeatureCodeTests
{
    [Fact]
    public void TenantChoseStarFive_StarFiveStartsAndStops_StarOneDoesNothing()
    {
        using var scene = new RecordedCallScene(RecordingMode.OnDemand, new RecordingFeatureCodes("*5", "*6"));

        scene.Key(fromCaller: true, "*1");
        scene.Talk(200);
        Assert.Empty(scene.Recordings);

        scene.Key(fromCaller: true, "*5");
        scene.Talk(1000);
        Assert.Single(scene.Recordings);
        scene.Key(fromCaller: true, "*2");
        Assert.False(scene.Recordings[0].IsPaused);
        scene.Key(fromCaller: true, "*6");
        Assert.True(scene.Recordings[0].IsPaused);
        scene.Key(fromCaller: true, "*6");
        scene.Key(fromCaller: true, "*5");
        Assert.True(scene.Recordings[0].IsStopping);

        Assert.Single(scene.End());
        Assert.Single(scene.Recordings[0].Pauses);
    }

    [Fact]
    public async Task LoadAsync_AsTheSwitchRole_GivesEachTenantItsOwnCodes()
    {
        await using var database = await PostgresFixture.OwnAsync("switch_recording_feature_codes");
        Guid chose, kept;
        await using (var owner = database.CreateOwnerContext())
        {
            chose = (await TestTenants.AddAsync(owner, "Chose", "0015651a0c01")).Tenant.Id;
            kept = (await TestTenants.AddAsync(owner, "Kept", "0015651a0c02")).Tenant.Id;
            await owner.Tenants.Where(t => t.Id == chose).ExecuteUpdateAsync(
                s => s.SetProperty(t => t.RecordingStartStopCode, "*5").SetProperty(t => t.RecordingPauseCode, "*66"), TestContext.Current.CancellationToken);
        }

        var contexts = new PooledDbContextFactory<PbxDbContext>(
            database.SwitchOptions);
        var book = await RecordingPolicyBook.LoadAsync(contexts, TestContext.Current.CancellationToken);

        Assert.Equal(new RecordingFeatureCodes("*5", "*66"), book.Codes(chose));
        Assert.Equal(RecordingFeatureCodes.Default, book.Codes(kept));
        Assert.Equal(RecordingFeatureCodes.Default, book.Codes(Guid.NewGuid()));
    }
}
