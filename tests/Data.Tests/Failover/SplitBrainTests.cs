using HostedPbx.Testing.Failover;
using Npgsql;

namespace HostedPbx.Data.Tests.Failover;

/// <summary>
/// An unreachable etcd must never leave two primaries taking writes. Patroni's guarantee is that a leader which cannot
/// renew its key in etcd demotes itself; the parts' side is that they connect only to a node that takes writes
/// (several hosts, Target Session Attributes=read-write). Shown here with the parts' own kind of connection string.
/// </summary>
public sealed class SplitBrainTests : IAsyncLifetime
{
    private PatroniPair? _pair;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _pair = await PatroniPair.StartAsync();

    [Fact]
    public async Task EtcdUnreachable_NoNodeTakesWrites_AndEveryAcknowledgedWriteSurvives()
    {
        var pair = _pair!;
        await using var dataSource = NpgsqlDataSource.Create(pair.OwnerConnectionString);
        await using (var create = dataSource.CreateCommand("CREATE TABLE acknowledged (id int PRIMARY KEY)"))
        {
            await create.ExecuteNonQueryAsync(Cancel);
        }

        var acknowledged = new List<int>();
        var duringLoss = new List<int>();
        var bothReadOnly = false;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        var writer = Task.Run(async () =>
        {
            for (var id = 1; !stop.IsCancellationRequested; id++)
            {
                try
                {
                    await using var insert = dataSource.CreateCommand($"INSERT INTO acknowledged VALUES ({id})");
                    await insert.ExecuteNonQueryAsync(stop.Token);
                    lock (acknowledged)
                    {
                        acknowledged.Add(id);
                        if (Volatile.Read(ref bothReadOnly))
                        {
                            duringLoss.Add(id);
                        }
                    }
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException)
                {
                    // No writable node now: the write is refused, not taken somewhere it would be lost.
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    // The test has seen enough: a write cut short here was never acknowledged, so it is not counted.
                    break;
                }

                await Task.Delay(100, CancellationToken.None);
            }
        }, CancellationToken.None);

        await pair.PauseEtcdAsync();
        // Patroni demotes a leader that cannot reach etcd within its retry timeout (5 s here).
        var started = TimeProvider.System.GetTimestamp();
        while (!(await pair.InRecoveryAsync()).All(r => r == true))
        {
            Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(90), "the leader stayed writable without etcd\n" + pair.Log);
            await Task.Delay(250, Cancel);
        }

        Volatile.Write(ref bothReadOnly, true);
        var refusedAt = acknowledged.Count;
        // Some seconds of writes against two read-only nodes.
        started = TimeProvider.System.GetTimestamp();
        while (TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(5))
        {
            Assert.All(await pair.InRecoveryAsync(), r => Assert.NotEqual(false, r));
            await Task.Delay(500, Cancel);
        }

        Volatile.Write(ref bothReadOnly, false);
        await pair.ResumeEtcdAsync();
        started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            lock (acknowledged)
            {
                if (acknowledged.Count > refusedAt + 5)
                {
                    break;
                }
            }

            Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(120), "no write landed after etcd came back\n" + pair.Log);
            await Task.Delay(250, Cancel);
        }

        await stop.CancelAsync();
        await writer;
        var stored = new HashSet<int>();
        await using (var read = dataSource.CreateCommand("SELECT id FROM acknowledged"))
        await using (var reader = await read.ExecuteReaderAsync(Cancel))
        {
            while (await reader.ReadAsync(Cancel))
            {
                stored.Add(reader.GetInt32(0));
            }
        }

        Assert.Empty(duringLoss);
        Assert.All(acknowledged, id => Assert.Contains(id, stored));
        Assert.True(refusedAt > 0, "no write was acknowledged before etcd went away: the writer never worked");
    }

    public async ValueTask DisposeAsync()
    {
        if (_pair is not null)
        {
            await _pair.DisposeAsync();
        }
    }
}
