using HostedPbx.Data.Entities;
using HostedPbx.Data.Seeding;
using HostedPbx.Data.Security;
using HostedPbx.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Data.Tests.Seeding;

public sealed class DemoSeederTests(PostgresFixture database) : IAsyncLifetime
{
    public async ValueTask InitializeAsync() => await database.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task SeedAsync_EmptyDatabase_CreatesAcmeWithTwoBoundHandsets()
    {
        await using var db = database.CreateOwnerContext();

        var credentials = await DemoSeeder.SeedAsync(db, TimeProvider.System, TestContext.Current.CancellationToken);

        Assert.NotNull(credentials);
        await using var check = database.CreateOwnerContext();
        var tenant = await check.Tenants.SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal("Acme", tenant.Name);
        var lines = await check.DeviceLines.Include(l => l.Extension).Include(l => l.Device)
            .OrderBy(l => l.Extension!.Number).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["201", "202"], lines.Select(l => l.Extension!.Number));
        Assert.All(lines, l => Assert.Equal(DeviceStatus.Active, l.Device!.Status));
        Assert.Equal(2, lines.Select(l => l.Device!.Mac).Distinct().Count());
    }

    [Fact]
    public async Task SeedAsync_Credentials_WorkAgainstWhatWasStored()
    {
        await using var db = database.CreateOwnerContext();
        var credentials = (await DemoSeeder.SeedAsync(db, TimeProvider.System, TestContext.Current.CancellationToken))!;

        await using var check = database.CreateOwnerContext();
        var operatorUser = await check.Users.SingleAsync(u => u.Role == PortalRole.Operator, TestContext.Current.CancellationToken);
        Assert.Equal(PasswordVerificationResult.Success,
            new PasswordHasher<PortalUser>().VerifyHashedPassword(operatorUser, operatorUser.PasswordHash!, credentials.OperatorPassword));
        Assert.DoesNotContain(credentials.OperatorPassword, operatorUser.PasswordHash!, StringComparison.Ordinal);
        Assert.True(ApiKeySecret.TryParse(credentials.ApiKey, out var prefix, out var hash));
        var key = await check.ApiKeys.SingleAsync(k => k.Prefix == prefix, TestContext.Current.CancellationToken);
        Assert.Equal(hash, key.SecretHash);
    }

    [Fact]
    public async Task SeedAsync_SecondRun_SeedsNothingAndKeepsData()
    {
        await using (var first = database.CreateOwnerContext())
        {
            await DemoSeeder.SeedAsync(first, TimeProvider.System, TestContext.Current.CancellationToken);
        }

        await using var second = database.CreateOwnerContext();
        var again = await DemoSeeder.SeedAsync(second, TimeProvider.System, TestContext.Current.CancellationToken);

        Assert.Null(again);
        await using var check = database.CreateOwnerContext();
        Assert.Equal(1, await check.Tenants.CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(2, await check.Devices.CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(2, await check.Users.CountAsync(TestContext.Current.CancellationToken));
    }
}
