using HostedPbx.Data;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Pstn;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace HostedPbx.Provisioning.Features.Trunks;

public static class CreateCarrier
{
    public static async Task<Results<Created<CarrierResponse>, ValidationProblem, Conflict<ProblemDetails>>> HandleAsync(
        CarrierSettings request, HttpContext http, PbxDbContext db, KeyProtector protector, TimeProvider time, CancellationToken ct)
    {
        if (await CarrierChanges.CheckAsync(db, request, null, ct) is { } problem)
        {
            return problem.IsConflict ? ApiErrors.Conflict(problem.Message) : ApiErrors.Invalid(problem.Field, problem.Message);
        }

        var now = time.GetUtcNow();
        var carrier = new Carrier { Name = request.Name, Host = request.Host, CreatedAt = now };
        CarrierChanges.Apply(carrier, request, protector);
        db.Carriers.Add(carrier);
        db.AuditEvents.Add(ApiCaller.From(http).Audit(now, "carrier.create", "carrier", carrier.Id, null));
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/carriers/{carrier.Id}", CarrierResponse.From(carrier));
    }
}
