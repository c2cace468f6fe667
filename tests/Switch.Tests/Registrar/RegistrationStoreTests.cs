using System.Data.Common;
using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Sip.Registrar;
using HostedPbx.Switch.Tests.Calls.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace HostedPbx.Switch.Tests.Registrar;

/// <summary>
/// The registrations table mirrors this node's bindings while other writers touch the same rows: the node's own leave
/// on a graceful stop deletes them all, and another node expires them when this one's heartbeat looks dead.
/// </summary>
public sealed class RegistrationStoreTests
{
    private readonly FakeTimeProvider _time = new(TestClock.Now);

    [Fact]
    public async Task Delete_RowRemovedByTheNodesLeaveMeanwhile_NoErrorAndNoRow()
    {
        await using var database = await PostgresFixture.OwnAsync("registration_store_delete");
        var binding = await ArrangeBindingAsync(database, "0015651a2c01");
        await InsertAsync(database, binding);
        var sentinel = await ArrangeBindingAsync(database, "0015651a2c02");
        var log = new LineLogger();
        // What a graceful stop does beside the store: the node's leave deletes every row of the node at once.
        var leave = new AfterFirstCommand(() => DeleteAsync(database, binding.Id));
        var store = new RegistrationStore(Contexts(database, leave), "node-a", log, _time);

        store.Delete(binding);
        store.Save(sentinel);
        await RunUntilWrittenAsync(store, database, sentinel.Id);

        Assert.True(leave.Fired, "the leave ran while the store wrote");
        Assert.Empty(log.Lines);
        Assert.False(await ExistsAsync(database, binding.Id));
    }

    [Fact]
    public async Task Save_RowExpiredByAnotherNodeMeanwhile_WrittenAgainWithTheNewExpiry()
    {
        await using var database = await PostgresFixture.OwnAsync("registration_store_save");
        var binding = await ArrangeBindingAsync(database, "0015651a2c03");
        await InsertAsync(database, binding);
        var first = await ArrangeBindingAsync(database, "0015651a2c05");
        var sentinel = await ArrangeBindingAsync(database, "0015651a2c04");
        var log = new LineLogger();
        // Another node judged this one dead and expired its rows while the store was writing the changes before this one.
        var expiry = new AfterFirstCommand(() => DeleteAsync(database, binding.Id));
        var store = new RegistrationStore(Contexts(database, expiry), "node-a", log, _time);
        var refreshed = binding with { ExpiresAt = binding.ExpiresAt.AddMinutes(30) };

        store.Save(first);
        store.Save(refreshed);
        store.Save(sentinel);
        await RunUntilWrittenAsync(store, database, sentinel.Id);

        Assert.True(expiry.Fired, "the expiry ran while the store wrote");
        Assert.Empty(log.Lines);
        await using var db = database.CreateOwnerContext();
        var row = await db.Registrations.SingleAsync(r => r.Id == binding.Id, Cancel);
        Assert.Equal((refreshed.ExpiresAt, "node-a"), (row.ExpiresAt, row.SwitchNode));
    }

    [Fact]
    public async Task ChangesQueuedTogether_WrittenInOrder_AndOneThatCannotBeWrittenLosesNoOther()
    {
        await using var database = await PostgresFixture.OwnAsync("registration_store_batch");
        var kept = await ArrangeBindingAsync(database, "0015651a2c06");
        var left = await ArrangeBindingAsync(database, "0015651a2c07");
        var sentinel = await ArrangeBindingAsync(database, "0015651a2c08");
        // A binding naming another tenant's real extension: the row's tenant and extension do not belong together.
        var impossible = kept with { Id = Guid.CreateVersion7(), ExtensionId = left.ExtensionId, Extension = "999" };
        var log = new LineLogger();
        var store = new RegistrationStore(Contexts(database, new AfterFirstCommand(() => Task.CompletedTask)), "node-a", log, _time);
        var renewed = kept with { ExpiresAt = kept.ExpiresAt.AddMinutes(30), UserAgent = "renewed" };

        store.Save(kept);
        store.Save(left);
        store.Save(impossible);
        store.Save(renewed);
        store.Delete(left);
        store.Save(sentinel);
        await RunUntilWrittenAsync(store, database, sentinel.Id);

        await using var db = database.CreateOwnerContext();
        var rows = await db.Registrations.Where(r => r.Id == kept.Id || r.Id == left.Id || r.Id == impossible.Id).ToListAsync(Cancel);
        var row = Assert.Single(rows);
        Assert.Equal((kept.Id, renewed.ExpiresAt, "renewed", "node-a"), (row.Id, row.ExpiresAt, row.UserAgent, row.SwitchNode));
        Assert.Contains("Writing the registration of 999 failed", Assert.Single(log.Lines), StringComparison.Ordinal);
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static PooledDbContextFactory<PbxDbContext> Contexts(PostgresFixture database, IInterceptor interceptor) =>
        new(new DbContextOptionsBuilder<PbxDbContext>(database.SwitchOptions).AddInterceptors(interceptor).Options);

    /// <summary>Runs the store until the row of <paramref name="sentinel"/>, queued last, is written: every write before it is done.</summary>
    private static async Task RunUntilWrittenAsync(RegistrationStore store, PostgresFixture database, Guid sentinel)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        var running = store.RunAsync(stop.Token);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        limit.CancelAfter(TimeSpan.FromSeconds(30));
        while (!await ExistsAsync(database, sentinel))
        {
            await Task.Delay(20, limit.Token);
        }

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }

    private async Task<Binding> ArrangeBindingAsync(PostgresFixture database, string mac)
    {
        await using var owner = database.CreateOwnerContext();
        var arranged = await TestTenants.AddAsync(owner, $"Store {mac}", mac);
        var now = _time.GetUtcNow();
        return new Binding(Guid.CreateVersion7(), arranged.Tenant.Id, arranged.Extension.Id, arranged.Extension.Number, arranged.Device.Id,
            $"sip:{arranged.Extension.Number}@127.0.0.1:5070;transport=tls", 7, "127.0.0.1:40000", "test", now, now.AddHours(1));
    }

    private static async Task InsertAsync(PostgresFixture database, Binding binding)
    {
        await using var owner = database.CreateOwnerContext();
        owner.Registrations.Add(new Registration
        {
            Id = binding.Id, TenantId = binding.TenantId, ExtensionId = binding.ExtensionId, DeviceId = binding.DeviceId,
            ContactUri = binding.ContactUri, SourceAddress = binding.SourceAddress, SwitchNode = "node-a",
            RegisteredAt = binding.RegisteredAt, ExpiresAt = binding.ExpiresAt,
        });
        await owner.SaveChangesAsync(Cancel);
    }

    private static async Task DeleteAsync(PostgresFixture database, Guid id)
    {
        await using var owner = database.CreateOwnerContext();
        await owner.Registrations.Where(r => r.Id == id).ExecuteDeleteAsync(Cancel);
    }

    private static async Task<bool> ExistsAsync(PostgresFixture database, Guid id)
    {
        await using var owner = database.CreateOwnerContext();
        return await owner.Registrations.AnyAsync(r => r.Id == id, Cancel);
    }

    /// <summary>Runs another writer's change once, right after the store's first command on the registrations table finished.</summary>
    private sealed class AfterFirstCommand(Func<Task> change) : DbCommandInterceptor
    {
        private int _fired;

        public bool Fired => Volatile.Read(ref _fired) == 1;

        public override async ValueTask<DbDataReader> ReaderExecutedAsync(
            DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        {
            await FireOnceAsync(command);
            return result;
        }

        public override async ValueTask<int> NonQueryExecutedAsync(
            DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            await FireOnceAsync(command);
            return result;
        }

        private async Task FireOnceAsync(DbCommand command)
        {
            if (command.CommandText.Contains("registrations", StringComparison.Ordinal) && Interlocked.Exchange(ref _fired, 1) == 0)
            {
                await change();
            }
        }
    }
}
