using HostedPbx.Data;
using HostedPbx.Data.Pstn;
using HostedPbx.Data.Queries;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Numbers;

public static class UpdateNumber
{
    public static async Task<Results<Ok<NumberResponse>, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> HandleAsync(
        Guid tenantId, Guid numberId, NumberSettings request, HttpContext http, PbxDbContext db, TimeProvider time, CancellationToken ct)
    {
        var number = await db.InboundNumbers.ForTenant(tenantId).SingleOrDefaultAsync(n => n.Id == numberId, ct);
        if (number is null)
        {
            return ApiErrors.NotFound("number");
        }

        if (await NumberChanges.CheckAsync(db, tenantId, request, numberId, ct) is { } problem)
        {
            return problem.IsConflict ? ApiErrors.Conflict(problem.Message) : ApiErrors.Invalid(problem.Field, problem.Message);
        }

        number.Number = request.Number;
        number.DestinationExtensionId = request.DestinationExtensionId;
        number.TrunkId = request.TrunkId;
        db.AuditEvents.Add(ApiCaller.From(http).Audit(time.GetUtcNow(), "number.update", "number", numberId, tenantId));
        if (await NumberChanges.SaveAsync(db, request.Number, ct) is { } taken)
        {
            return ApiErrors.Conflict(taken.Message);
        }

        return TypedResults.Ok(NumberResponse.From(number));
    }
}
