using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Diagnostics;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.Calls.Trunks;

/// <summary>
/// Writes a burst rule's suspension to the tenant's PSTN settings, where the portal and API show it and an admin lifts
/// it. Without a database (in-memory tests) nothing is written; the gate holds the suspension itself meanwhile.
/// </summary>
internal sealed class PstnSuspensionStore(IDbContextFactory<PbxDbContext>? contexts, ILogger logger)
{
    public async Task SuspendAsync(Guid tenantId, DateTimeOffset at, string reason, CancellationToken cancellationToken)
    {
        if (contexts is null)
        {
            return;
        }

        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var settings = await db.PstnSettings.SingleOrDefaultAsync(s => s.TenantId == tenantId, cancellationToken);
            if (settings is null)
            {
                settings = new PstnSettings { TenantId = tenantId };
                db.PstnSettings.Add(settings);
            }

            settings.OutboundSuspendedAt = at;
            settings.SuspensionReason = reason.Length <= 200 ? reason : reason[..200];
            // A new suspension is alerted afresh (FraudAlertJob in Web picks up those not alerted yet).
            settings.AlertedAt = null;
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or Npgsql.NpgsqlException)
        {
            SwitchLog.PstnSuspensionNotStored(logger, ex, tenantId);
        }
    }
}
