using Microsoft.EntityFrameworkCore.Design;
using Npgsql;

namespace HostedPbx.Data;

/// <summary>Design-time factory for dotnet-ef; it never connects while generating migrations.</summary>
internal sealed class PbxDbContextFactory : IDesignTimeDbContextFactory<PbxDbContext>
{
    public PbxDbContext CreateDbContext(string[] args)
    {
        var connectionString = Environment.GetEnvironmentVariable("HOSTEDPBX_OWNER_DB")
            ?? "Host=127.0.0.1;Port=54329;Database=hostedpbx;Username=postgres";
        return new PbxDbContext(DataServices.CreateOptions(new NpgsqlDataSourceBuilder(connectionString).Build()));
    }
}
