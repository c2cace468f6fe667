using Microsoft.EntityFrameworkCore.Storage;
using Npgsql.EntityFrameworkCore.PostgreSQL;

namespace HostedPbx.Data.Hosting;

/// <summary>
/// EF Core's retrying strategy for Npgsql, with <see cref="DatabaseFailure"/>'s wider idea of transient: a request that
/// meets a dead pooled connection after an outage, or a failover in progress, is run again on a fresh connection.
/// The pauses grow to <see cref="RetryDelayLimit"/>, about 40 s in all: longer than a Patroni failover (10-20 s).
/// Code that opens its own transaction runs it through <c>db.Database.CreateExecutionStrategy().ExecuteAsync</c>.
/// </summary>
internal sealed class FailoverExecutionStrategy(ExecutionStrategyDependencies dependencies)
    : NpgsqlRetryingExecutionStrategy(dependencies, RetryLimit, RetryDelayLimit, DatabaseFailure.TransientSqlStates)
{
    public const int RetryLimit = 10;

    public static readonly TimeSpan RetryDelayLimit = TimeSpan.FromSeconds(5);

    protected override bool ShouldRetryOn(Exception? exception) =>
        exception is not null && (base.ShouldRetryOn(exception) || DatabaseFailure.IsTransient(exception));
}
