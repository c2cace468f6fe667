using HostedPbx.Data;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Web.Security;

/// <summary>One context per operation, already in the caller's scope (STYLE §5; row-level security is the second wall).</summary>
public static class PortalDb
{
    public static async Task<PbxDbContext> CreateAsync(this IDbContextFactory<PbxDbContext> factory, PortalCaller caller)
    {
        var db = await factory.CreateDbContextAsync();
        db.UseScope(caller.Scope);
        return db;
    }
}
