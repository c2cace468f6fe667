using HostedPbx.Data;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Pstn;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Trunks;

public static class UpdateCarrier
{
    public static async Task<Results<Ok<CarrierResponse>, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> HandleAsync(
        Guid carrierId, CarrierSettings request, HttpContext http, PbxDbContext db, KeyProtector protector, TimeProvider time, CancellationToken ct)
    {
        var carrier = await db.Carriers.SingleOrDefaultAsync(c => c.Id == carrierId, ct);
        if (carrier is null)
        {
            return ApiErrors.NotFound("carrier");
        }

        if (await CarrierChanges.CheckAsync(db, request, carrierId, ct) is { } problem)
        {
            return problem.IsConflict ? ApiErrors.Conflict(problem.Message) : ApiErrors.Invalid(problem.Field, problem.Message);
        }

        CarrierChanges.Apply(carrier, request, protector);
        db.AuditEvents.Add(ApiCaller.From(http).Audit(time.GetUtcNow(), "carrier.update", "carrier", carrier.Id, null));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(CarrierResponse.From(carrier));
    }
}
