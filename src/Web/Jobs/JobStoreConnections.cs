using Hangfire.PostgreSql;
using Npgsql;

namespace HostedPbx.Web.Jobs;

/// <summary>
/// Hangfire's connections come from the part's one data source, opened only when a job or the dashboard needs one:
/// so a bad or missing connection string is reported by the start-up checks, not by the job store.
/// </summary>
internal sealed class JobStoreConnections(IServiceProvider services) : IConnectionFactory
{
    public NpgsqlConnection GetOrCreateConnection() => services.GetRequiredService<NpgsqlDataSource>().CreateConnection();
}
