using HostedPbx.Data.Hosting;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HostedPbx.Data.Tests.Failover;

/// <summary>What is retried through a failover, and what is a fault in the request that no retry would mend.</summary>
public sealed class DatabaseFailureTests
{
    [Fact]
    public void IsTransient_NoPrimaryYetOrConnectionLost_IsRetried()
    {
        // What Npgsql throws while Patroni promotes the replica, and when a pooled connection's server went away.
        Assert.True(DatabaseFailure.IsTransient(new NpgsqlException("No suitable host was found.", new AggregateException())));
        Assert.True(DatabaseFailure.IsTransient(new NpgsqlException("Exception while reading from stream", new EndOfStreamException())));
        Assert.True(DatabaseFailure.IsTransient(new DbUpdateException("save failed", new NpgsqlException("broken", new IOException()))));
        Assert.True(DatabaseFailure.IsTransient(new TimeoutException()));
    }

    [Theory]
    [InlineData("57P01")] // terminating connection due to administrator command
    [InlineData("25006")] // read-only transaction: the node was demoted under us
    [InlineData("08006")] // connection failure
    public void IsTransient_ServerSaysNotNow_IsRetried(string sqlState) =>
        Assert.True(DatabaseFailure.IsTransient(new PostgresException("not now", "FATAL", "FATAL", sqlState)));

    [Theory]
    [InlineData("23505")] // unique violation
    [InlineData("42501")] // insufficient privilege
    [InlineData("22P02")] // invalid text representation
    public void IsTransient_FaultInTheRequest_IsNotRetried(string sqlState)
    {
        Assert.False(DatabaseFailure.IsTransient(new PostgresException("fault", "ERROR", "ERROR", sqlState)));
        Assert.False(DatabaseFailure.IsTransient(new DbUpdateException("save failed", new PostgresException("fault", "ERROR", "ERROR", sqlState))));
    }

    [Fact]
    public void IsTransient_OurOwnBug_IsNotRetried() =>
        Assert.False(DatabaseFailure.IsTransient(new InvalidOperationException("a bug")));
}
