using HostedPbx.Data;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Recordings;
using HostedPbx.Provisioning.Security;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Recordings;

/// <summary>
/// The rule every recording route shares: an API key (reseller or operator) reaches a tenant's recordings only when the
/// tenant granted it (<see cref="RetentionSettings.ResellerMayListen"/>). Each use and each refusal is an audit event
/// with who, what, when and from where; the refusal itself is a plain 404 that does not say which check failed.
/// </summary>
internal static class RecordingAccess
{
    public static async Task<bool> GrantedAsync(PbxDbContext db, Guid tenantId, CancellationToken ct) =>
        await db.RetentionSettings.AsNoTracking().AnyAsync(r => r.TenantId == tenantId && r.ResellerMayListen, ct);

    public static void Audit(PbxDbContext db, HttpContext http, TimeProvider time, string action, Guid tenantId, Guid? recordingId,
        AuditOutcome outcome = AuditOutcome.Success, string? reason = null)
    {
        var audit = ApiCaller.From(http).Audit(time.GetUtcNow(), action, "recording", recordingId ?? tenantId, tenantId, outcome, reason);
        if (recordingId is null)
        {
            audit.TargetKind = "tenant";
        }

        db.AuditEvents.Add(audit);
    }

    public static RecordingVerifier Verifier(IConfiguration configuration, KeyProtector protector)
    {
        var options = configuration.GetSection(RecordingOptions.SectionName).Get<RecordingOptions>() ?? new RecordingOptions();
        return new RecordingVerifier(options.Resolve(configuration["HostedPbx:DataDirectory"]), protector);
    }
}
