using HostedPbx.Data.Entities;
using HostedPbx.Data.Tenancy;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HostedPbx.Data.Tests.Recordings;

/// <summary>The audit trail is append-only for the application's roles (issue 10 item 6): an UPDATE is refused for the portal's and the switch's.</summary>
public sealed class AuditAppendOnlyTests(PostgresFixture database) : IAsyncLifetime
{
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await database.ResetAsync();
        await using var owner = database.CreateOwnerContext();
        owner.AuditEvents.Add(new AuditEvent
        {
            OccurredAt = TestClock.Now, ActorKind = AuditActorKind.System, ActorName = "test", Action = "recording.play", Outcome = AuditOutcome.Success,
        });
        await owner.SaveChangesAsync(_cancel);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Update_AsTheAppRole_IsRefused()
    {
        await using var db = database.CreateAppContext(DbScope.System);

        var error = await Assert.ThrowsAsync<PostgresException>(() => db.Database.ExecuteSqlRawAsync("UPDATE audit_events SET actor_name = 'someone else'", _cancel));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
    }

    [Fact]
    public async Task UpdateOrDelete_AsTheSwitchRole_IsRefused()
    {
        await using var db = database.CreateSwitchContext();

        var update = await Assert.ThrowsAsync<PostgresException>(() => db.Database.ExecuteSqlRawAsync("UPDATE audit_events SET outcome = 'Denied'", _cancel));
        var delete = await Assert.ThrowsAsync<PostgresException>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM audit_events", _cancel));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, update.SqlState);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, delete.SqlState);
    }
}
