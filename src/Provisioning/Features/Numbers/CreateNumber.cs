using HostedPbx.Data;
using HostedPbx.Data.Pstn;
using HostedPbx.Data.Entities;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace HostedPbx.Provisioning.Features.Numbers;

public static class CreateNumber
{
    public static async Task<Results<Created<NumberResponse>, ValidationProblem, Conflict<ProblemDetails>>> HandleAsync(
        Guid tenantId, NumberSettings request, HttpContext http, PbxDbContext db, TimeProvider time, CancellationToken ct)
    {
        if (await NumberChanges.CheckAsync(db, tenantId, request, null, ct) is { } problem)
        {
            return problem.IsConflict ? ApiErrors.Conflict(problem.Message) : ApiErrors.Invalid(problem.Field, problem.Message);
        }

        var now = time.GetUtcNow();
        var number = new InboundNumber
        {
            TenantId = tenantId, Number = request.Number, DestinationExtensionId = request.DestinationExtensionId, TrunkId = request.TrunkId,
            CreatedAt = now,
        };
        db.InboundNumbers.Add(number);
        db.AuditEvents.Add(ApiCaller.From(http).Audit(now, "number.create", "number", number.Id, tenantId));
        if (await NumberChanges.SaveAsync(db, request.Number, ct) is { } taken)
        {
            return ApiErrors.Conflict(taken.Message);
        }

        return TypedResults.Created($"/api/v1/tenants/{tenantId}/numbers/{number.Id}", NumberResponse.From(number));
    }
}
