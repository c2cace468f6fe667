using HostedPbx.Data;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace HostedPbx.Provisioning.Features.Recordings;

/// <summary>Walks the tenant's manifest chain and names every recording missing, altered or out of order. Audited.</summary>
public static class VerifyRecordings
{
    public sealed record Finding(long ChainIndex, Guid? RecordingId, string Problem, string Detail);

    public sealed record Response(int Checked, bool Intact, IReadOnlyList<Finding> Findings);

    public static async Task<Results<Ok<Response>, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> HandleAsync(
        Guid tenantId, PbxDbContext db, HttpContext http, IConfiguration configuration, KeyProtector protector, TimeProvider time, CancellationToken ct)
    {
        if (!await RecordingAccess.MayListenAsync(db, http, tenantId, ct))
        {
            RecordingAccess.Audit(db, http, time, "recording.verify", tenantId, null, AuditOutcome.Denied, RecordingAccess.RefusalReason(http));
            await db.SaveChangesAsync(ct);
            return ApiErrors.NotFound("recordings");
        }

        var result = await RecordingAccess.Verifier(configuration, protector).VerifyAsync(db, tenantId, ct);
        if (result.Checked == 0 && result.Intact)
        {
            return ApiErrors.Conflict("The tenant has no completed recordings to verify.");
        }

        RecordingAccess.Audit(db, http, time, "recording.verify", tenantId, null, result.Intact ? AuditOutcome.Success : AuditOutcome.Failed,
            result.Intact ? null : $"{result.Findings.Count} recording(s) missing, altered or out of order");
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new Response(result.Checked, result.Intact,
            [.. result.Findings.Select(f => new Finding(f.ChainIndex, f.RecordingId, f.Problem.ToString(), f.Detail))]));
    }
}
