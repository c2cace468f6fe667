using System.Collections.Concurrent;
using HostedPbx.Data;
using HostedPbx.Testing;
using Npgsql;

namespace HostedPbx.Switch.EndToEndTests.Support;

/// <summary>
/// Owner-role contexts over one pooled data source. PostgresFixture.CreateOwnerContext builds a new data source per
/// call and never disposes it, so every poll kept an idle connection open: a full run reached PostgreSQL's 200.
/// </summary>
internal static class OwnerDatabase
{
    private static readonly ConcurrentDictionary<string, NpgsqlDataSource> s_sources = new(StringComparer.Ordinal);

    public static PbxDbContext OpenOwner(this PostgresFixture database) =>
        new(DataServices.CreateOptions(s_sources.GetOrAdd(database.OwnerConnectionString, static cs => new NpgsqlDataSourceBuilder(cs).Build())));
}
