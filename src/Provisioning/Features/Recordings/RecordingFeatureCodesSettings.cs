using HostedPbx.Data;
using HostedPbx.Data.Queries;
using HostedPbx.Data.Recordings;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Recordings;

/// <summary>
/// The tenant's in-call recording codes: read them, or choose others than <c>*1</c> (start/stop on demand) and <c>*2</c>
/// (PCI pause/resume). A choice that is not <c>*</c> and 1-3 digits, or clashes with the other code, the voicemail access
/// number or an extension, is a 400 naming the field (<see cref="RecordingFeatureCodes"/>, the portal's rule too). The
/// switch reads the change with the tenant's directory. Audited.
/// </summary>
public static class RecordingFeatureCodesSettings
{
    public sealed record Request(string? StartStop, string? PauseResume);

    public sealed record Response(string StartStop, string PauseResume);

    public static async Task<Results<Ok<Response>, NotFound<ProblemDetails>>> GetAsync(Guid tenantId, PbxDbContext db, CancellationToken ct)
    {
        var codes = await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId)
            .Select(t => new Response(t.RecordingStartStopCode, t.RecordingPauseCode)).SingleOrDefaultAsync(ct);
        return codes is null ? ApiErrors.NotFound("tenant") : TypedResults.Ok(codes);
    }

    public static async Task<Results<Ok<Response>, NotFound<ProblemDetails>, ValidationProblem>> PutAsync(
        Guid tenantId, Request request, HttpContext http, PbxDbContext db, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var tenant = await db.Tenants.SingleOrDefaultAsync(t => t.Id == tenantId, ct);
        if (tenant is null)
        {
            return ApiErrors.NotFound("tenant");
        }

        var codes = new RecordingFeatureCodes(request.StartStop?.Trim() ?? "", request.PauseResume?.Trim() ?? "");
        var extensions = await db.Extensions.AsNoTracking().ForTenant(tenantId).Select(e => e.Number).ToListAsync(ct);
        if (codes.Problem(tenant.VoicemailAccessNumber, extensions) is { } problem)
        {
            return ApiErrors.Invalid(problem.Field, problem.Message);
        }

        var before = RecordingFeatureCodes.Of(tenant);
        tenant.RecordingStartStopCode = codes.StartStop;
        tenant.RecordingPauseCode = codes.PauseResume;
        db.AuditEvents.Add(ApiCaller.From(http).Audit(time.GetUtcNow(), "recording.feature-codes", "tenant", tenantId, tenantId,
            reason: $"start/stop {before.StartStop} → {codes.StartStop}, pause/resume {before.PauseResume} → {codes.PauseResume}"));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new Response(codes.StartStop, codes.PauseResume));
    }
}
