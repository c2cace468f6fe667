using HostedPbx.Data;
using HostedPbx.Data.Queries;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Extensions;

public static class DeleteExtension
{
    public static async Task<Results<NoContent, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> HandleAsync(
        Guid tenantId, Guid extensionId, HttpContext http, PbxDbContext db, TimeProvider time, CancellationToken ct)
    {
        var extension = await db.Extensions.ForTenant(tenantId).SingleOrDefaultAsync(e => e.Id == extensionId, ct);
        if (extension is null)
        {
            return ApiErrors.NotFound("extension");
        }

        if (await db.InboundNumbers.ForTenant(tenantId).AnyAsync(n => n.DestinationExtensionId == extensionId, ct))
        {
            return ApiErrors.Conflict("Public numbers route to this extension; route them elsewhere first.");
        }

        // Device lines, voicemail and registrations of the extension go with it (cascade).
        db.Extensions.Remove(extension);
        db.AuditEvents.Add(ApiCaller.From(http).Audit(time.GetUtcNow(), "extension.delete", "extension", extensionId, tenantId));
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
