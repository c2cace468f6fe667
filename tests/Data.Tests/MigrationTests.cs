using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Data.Tests;

public sealed class MigrationTests(PostgresFixture database)
{
    [Fact]
    public void Model_HasNoChangesMissingFromMigrations()
    {
        using var db = database.CreateOwnerContext();

        Assert.False(db.Database.HasPendingModelChanges(), "The model differs from the last migration: add one with dotnet ef migrations add.");
    }

    [Fact]
    public async Task Migrate_FreshDatabase_AppliesEveryMigration()
    {
        await using var db = database.CreateOwnerContext();

        var applied = await db.Database.GetAppliedMigrationsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(db.Database.GetMigrations(), applied);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
    }
}
