using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Queries;
using HostedPbx.Data.Recordings;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Recordings;

/// <summary>A recording's signed manifest exactly as signed, its signature and the platform's public key (PEM), for a third party to check with openssl.</summary>
public static class GetRecordingManifest
{
    public sealed record Response(string Manifest, string ManifestSha256, string SignatureBase64, string PublicKeyPem);

    public static async Task<Results<Ok<Response>, NotFound<ProblemDetails>, ProblemHttpResult>> HandleAsync(
        Guid tenantId, Guid recordingId, PbxDbContext db, HttpContext http, TimeProvider time, CancellationToken ct)
    {
        var recording = await db.Recordings.AsNoTracking().ForTenant(tenantId).SingleOrDefaultAsync(r => r.Id == recordingId, ct);
        if (recording is null || !await RecordingAccess.MayListenAsync(db, http, tenantId, ct))
        {
            RecordingAccess.Audit(db, http, time, "recording.manifest", tenantId, recordingId, AuditOutcome.Denied,
                recording is null ? "no such recording in the tenant" : RecordingAccess.RefusalReason(http));
            await db.SaveChangesAsync(ct);
            return ApiErrors.NotFound("recording");
        }

        if (recording.Manifest is null || recording.ManifestSignature is null)
        {
            return TypedResults.Problem(statusCode: 409, title: "No manifest yet", detail: "The recording has no signed manifest yet: the call is still being recorded.");
        }

        var key = await db.RecordingSigningKeys.AsNoTracking().SingleAsync(k => k.Id == recording.SigningKeyId, ct);
        RecordingAccess.Audit(db, http, time, "recording.manifest", tenantId, recordingId);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new Response(recording.Manifest, recording.ManifestSha256!, Convert.ToBase64String(recording.ManifestSignature), RecordingSigner.PublicKeyPem(key.PublicKey)));
    }
}
