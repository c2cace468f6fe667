using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Data.Tenants;

/// <summary>The rules for a new tenant, shared by the API and the portal: a unique name per reseller, retention settings, an audit row.</summary>
public static class TenantCreation
{
    public static Task<bool> NameTakenAsync(PbxDbContext db, Guid resellerId, string name, Guid? except, CancellationToken ct) =>
        db.Tenants.AnyAsync(t => t.ResellerId == resellerId && t.Name == name && t.Id != except, ct);

    /// <summary>Adds the tenant and its retention settings, then the audit event, in one transaction.</summary>
    public static async Task<Tenant> AddAsync(PbxDbContext db, Guid resellerId, TenantSettings settings, DateTimeOffset now,
        Func<Tenant, AuditEvent> audit, CancellationToken ct)
    {
        var tenant = new Tenant { ResellerId = resellerId, Name = settings.Name.Trim(), CreatedAt = now };
        settings.ApplyTo(tenant);
        var attempt = 0;
        // Its own transaction, so run whole by the retrying strategy: a failover mid-way rolls back and starts over.
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            if (attempt++ > 0)
            {
                db.ChangeTracker.Clear();
            }

            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            db.Tenants.Add(tenant);
            db.RetentionSettings.Add(new RetentionSettings { TenantId = tenant.Id });
            await db.SaveChangesAsync(ct);
            // Row-level security admits the audit row only once the tenant exists: a second statement, one transaction.
            db.AuditEvents.Add(audit(tenant));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        });
        return tenant;
    }
}
