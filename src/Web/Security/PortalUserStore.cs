using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Web.Security;

/// <summary>
/// Identity's user store over its own context in the platform's scope: sign-in looks a user up before anyone is known,
/// so row-level security must admit every user row here (and only here).
/// </summary>
internal sealed class PortalUserStore(IDbContextFactory<PbxDbContext> factory, IdentityErrorDescriber describer)
    : UserOnlyStore<PortalUser, PbxDbContext, Guid>(CreateSystemContext(factory), describer), IDisposable
{
    void IDisposable.Dispose()
    {
        Dispose();
        Context.Dispose();
    }

    private static PbxDbContext CreateSystemContext(IDbContextFactory<PbxDbContext> factory)
    {
        var db = factory.CreateDbContext();
        db.UseScope(DbScope.System);
        return db;
    }
}
