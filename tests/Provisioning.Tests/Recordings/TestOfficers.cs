using HostedPbx.Data.Entities;
using HostedPbx.Testing;

namespace HostedPbx.Provisioning.Tests.Recordings;

/// <summary>A compliance officer of a tenant and their personal API key, as the portal makes them.</summary>
internal static class TestOfficers
{
    public static async Task<(PortalUser User, string Key)> AddAsync(PostgresFixture database, Guid tenantId, string login)
    {
        await using var owner = database.CreateOwnerContext();
        var user = new PortalUser
        {
            Id = Guid.CreateVersion7(), UserName = login, NormalizedUserName = login.ToUpperInvariant(), DisplayName = $"Officer {login}",
            Role = PortalRole.ComplianceOfficer, TenantId = tenantId, CreatedAt = TestClock.Now, SecurityStamp = Guid.NewGuid().ToString(),
        };
        owner.Users.Add(user);
        var (key, secret) = ApiKey.CreatePersonal(user.Id, tenantId, "evidence export", TestClock.Now);
        owner.ApiKeys.Add(key);
        await owner.SaveChangesAsync();
        return (user, secret.Plaintext);
    }
}
