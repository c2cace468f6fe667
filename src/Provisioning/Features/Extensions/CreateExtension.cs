using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Queries;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Extensions;

public static class CreateExtension
{
    public static async Task<Results<Created<ExtensionResponse>, ValidationProblem, Conflict<ProblemDetails>>> HandleAsync(
        Guid tenantId, ExtensionSettings request, HttpContext http, PbxDbContext db, TimeProvider time, CancellationToken ct)
    {
        var limit = await db.Tenants.Where(t => t.Id == tenantId).Select(t => t.MaxExtensions).SingleAsync(ct);
        if (await db.Extensions.ForTenant(tenantId).CountAsync(ct) >= limit)
        {
            return ApiErrors.Conflict($"The tenant has its limit of {limit} extensions; raise MaxExtensions first.");
        }

        if (await db.Extensions.ForTenant(tenantId).AnyAsync(e => e.Number == request.Number, ct))
        {
            return ApiErrors.Conflict($"Extension {request.Number} exists already in this tenant.");
        }

        var now = time.GetUtcNow();
        var extension = new Extension
        {
            TenantId = tenantId, Number = request.Number, DisplayName = request.DisplayName.Trim(),
            VoicemailEnabled = request.VoicemailEnabled, VoicemailEmail = request.VoicemailEmail, CreatedAt = now,
        };
        db.Extensions.Add(extension);
        db.AuditEvents.Add(ApiCaller.From(http).Audit(now, "extension.create", "extension", extension.Id, tenantId));
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/tenants/{tenantId}/extensions/{extension.Id}", ExtensionResponse.From(extension));
    }
}
