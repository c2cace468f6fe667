using System.Net;
using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Web.Features.Account;

/// <summary>Every sign-in attempt becomes an audit event: success, wrong password, lockout, wrong second factor.</summary>
internal sealed class SignInAudit(IDbContextFactory<PbxDbContext> factory, TimeProvider time)
{
    public async Task WriteAsync(string action, PortalUser? user, string login, AuditOutcome outcome, string? reason, IPAddress? source)
    {
        await using var db = await factory.CreateDbContextAsync();
        // Before a sign-in succeeds nobody is known: the platform writes the event.
        db.UseScope(DbScope.System);
        db.AuditEvents.Add(new AuditEvent
        {
            OccurredAt = time.GetUtcNow(), ResellerId = user?.ResellerId, TenantId = user?.TenantId,
            ActorKind = AuditActorKind.PortalUser, ActorId = user?.Id.ToString(), ActorName = login.Length > 200 ? login[..200] : login,
            Action = action, TargetKind = "portal-user", TargetId = user?.Id.ToString(), Outcome = outcome, Reason = reason,
            SourceAddress = source,
        });
        await db.SaveChangesAsync();
    }
}
