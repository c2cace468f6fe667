using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace HostedPbx.Data.Hosting;

/// <summary>
/// Which failures are the database going away for a while (a failover, a restart, a dead pooled connection) and worth
/// trying again, rather than a fault in what was asked. One rule for EF Core's retries and the switch's write queues.
/// </summary>
public static class DatabaseFailure
{
    /// <summary>
    /// Server answers that mean "not now": shutting down (57P01 admin, 57P02 crash, 57P03 starting), a connection
    /// lost (class 08), a primary demoted under us (25006 read-only transaction), and too many connections (53300).
    /// </summary>
    public static readonly string[] TransientSqlStates = ["57P01", "57P02", "57P03", "25006", "53300", "08000", "08001", "08003", "08004", "08006"];

    public static bool IsTransient(Exception exception) => exception switch
    {
        PostgresException p => p.IsTransient || TransientSqlStates.Contains(p.SqlState),
        // Npgsql's own failures without a server answer: the socket broke, a timeout, or no host is the primary yet
        // ("No suitable host was found" while Patroni promotes the replica).
        NpgsqlException => true,
        RetryLimitExceededException or TimeoutException or IOException or SocketException => true,
        DbUpdateException { InnerException: { } inner } => IsTransient(inner),
        InvalidOperationException { InnerException: { } inner } => IsTransient(inner),
        _ => false,
    };
}
