using HostedPbx.Data;
using HostedPbx.Data.Extensions;
using HostedPbx.Data.Queries;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Extensions;

public static class UpdateExtension
{
    public static async Task<Results<Ok<ExtensionResponse>, NotFound<ProblemDetails>, Conflict<ProblemDetails>, ValidationProblem>> HandleAsync(
        Guid tenantId, Guid extensionId, ExtensionSettings request, HttpContext http, PbxDbContext db, TimeProvider time, CancellationToken ct)
    {
        var extension = await db.Extensions.ForTenant(tenantId).SingleOrDefaultAsync(e => e.Id == extensionId, ct);
        if (extension is null)
        {
            return ApiErrors.NotFound("extension");
        }

        if (await db.Extensions.ForTenant(tenantId).AnyAsync(e => e.Number == request.Number && e.Id != extensionId, ct))
        {
            return ApiErrors.Conflict($"Extension {request.Number} exists already in this tenant.");
        }

        if (await ExtensionForwarding.ProblemAsync(db, tenantId, request, ct) is { } invalid)
        {
            return invalid;
        }

        extension.Number = request.Number;
        extension.DisplayName = request.DisplayName.Trim();
        extension.VoicemailEnabled = request.VoicemailEnabled;
        extension.VoicemailEmail = request.VoicemailEmail;
        ExtensionForwarding.Apply(extension, request);
        db.AuditEvents.Add(ApiCaller.From(http).Audit(time.GetUtcNow(), "extension.update", "extension", extension.Id, tenantId));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ExtensionResponse.From(extension));
    }
}
