using HostedPbx.Data;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.Tests.Voicemail;

/// <summary>Contexts as the switch's own role, as the switch's DI gives them.</summary>
internal sealed class SwitchContexts(PostgresFixture database) : IDbContextFactory<PbxDbContext>
{
    public PbxDbContext CreateDbContext() => database.CreateSwitchContext();
}
