using HostedPbx.Data;
using HostedPbx.Data.Queries;
using HostedPbx.Data.Voicemail;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Voicemail;

/// <summary>
/// Sets whether the mailbox takes messages, a new PIN (omit it to keep the old one; the one PIN rule applies), the
/// no-answer time and the e-mail address. A field that breaks a rule is refused by name and nothing is written.
/// </summary>
public static class UpdateVoicemailSettings
{
    public static async Task<Results<Ok<VoicemailSettingsResponse>, NotFound<ProblemDetails>, ValidationProblem>> HandleAsync(Guid tenantId,
        Guid extensionId, VoicemailSettings request, HttpContext http, PbxDbContext db, TimeProvider time, CancellationToken ct)
    {
        var extension = await db.Extensions.ForTenant(tenantId).SingleOrDefaultAsync(e => e.Id == extensionId, ct);
        if (extension is null)
        {
            return ApiErrors.NotFound("extension");
        }

        var now = time.GetUtcNow();
        var caller = ApiCaller.From(http);
        if (request.Problems() is { Count: > 0 } problems)
        {
            // The refusal names the field; the audit log records which rule it broke (never the PIN itself).
            db.AuditEvents.Add(caller.Audit(now, "voicemail.settings.update", "extension", extensionId, tenantId, Data.Entities.AuditOutcome.Denied,
                string.Join("; ", problems.Select(p => $"{p.Key}: {p.Value[0]}"))));
            await db.SaveChangesAsync(ct);
            return TypedResults.ValidationProblem(problems);
        }

        request.Apply(extension);
        db.AuditEvents.Add(caller.Audit(now, "voicemail.settings.update", "extension", extensionId, tenantId,
            reason: request.Pin is null ? null : "PIN changed"));
        await db.SaveChangesAsync(ct);
        var greetings = await db.VoicemailGreetings.AsNoTracking().ForTenant(tenantId).Where(g => g.ExtensionId == extensionId).ToListAsync(ct);
        return TypedResults.Ok(VoicemailSettingsResponse.From(extension, greetings, now));
    }
}
