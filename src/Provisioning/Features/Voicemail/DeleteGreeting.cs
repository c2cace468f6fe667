using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Queries;
using HostedPbx.Data.Voicemail;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Voicemail;

/// <summary>Removes an uploaded or recorded greeting; callers then hear the default prompt with the extension's number.</summary>
public static class DeleteGreeting
{
    public static async Task<Results<NoContent, NotFound<ProblemDetails>>> HandleAsync(Guid tenantId, Guid extensionId, GreetingKind kind,
        HttpContext http, PbxDbContext db, VoicemailFiles files, TimeProvider time, CancellationToken ct)
    {
        var extension = await db.Extensions.ForTenant(tenantId).SingleOrDefaultAsync(e => e.Id == extensionId, ct);
        if (extension is null)
        {
            return ApiErrors.NotFound("extension");
        }

        db.AuditEvents.Add(ApiCaller.From(http).Audit(time.GetUtcNow(), "voicemail.greeting.delete", "extension", extensionId, tenantId, reason: kind.ToString()));
        return await MailboxChanges.RemoveGreetingAsync(db, files, extension, kind, ct) ? TypedResults.NoContent() : ApiErrors.NotFound("greeting");
    }
}
