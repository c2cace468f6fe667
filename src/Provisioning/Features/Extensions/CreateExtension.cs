using HostedPbx.Data;
using HostedPbx.Data.Extensions;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace HostedPbx.Provisioning.Features.Extensions;

public static class CreateExtension
{
    public static async Task<Results<Created<ExtensionResponse>, ValidationProblem, Conflict<ProblemDetails>>> HandleAsync(
        Guid tenantId, ExtensionSettings request, HttpContext http, PbxDbContext db, TimeProvider time, CancellationToken ct)
    {
        if (await ExtensionCreation.ProblemAsync(db, tenantId, [request.Number], ct) is { } problem)
        {
            return ApiErrors.Conflict(problem);
        }

        if (await ExtensionForwarding.ProblemAsync(db, tenantId, request, ct) is { } invalid)
        {
            return invalid;
        }

        var now = time.GetUtcNow();
        var extension = ExtensionCreation.New(tenantId, request, now);
        ExtensionForwarding.Apply(extension, request);
        db.Extensions.Add(extension);
        db.AuditEvents.Add(ApiCaller.From(http).Audit(now, "extension.create", "extension", extension.Id, tenantId));
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/tenants/{tenantId}/extensions/{extension.Id}", ExtensionResponse.From(extension));
    }
}
