using System.ComponentModel.DataAnnotations;
using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Tenants;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Tenants;

public static class UpdateTenant
{
    public sealed record Request([Required] TenantSettings Settings, TenantStatus Status = TenantStatus.Active);

    public static async Task<Results<Ok<TenantResponse>, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> HandleAsync(
        Guid tenantId, Request request, HttpContext http, PbxDbContext db, TimeProvider time, CancellationToken ct)
    {
        if (request.Settings.Problem() is { } problem)
        {
            return ApiErrors.Invalid($"Settings.{problem.Field}", problem.Message);
        }

        var tenant = await db.Tenants.SingleOrDefaultAsync(t => t.Id == tenantId, ct);
        if (tenant is null)
        {
            return ApiErrors.NotFound("tenant");
        }

        if (await TenantCreation.NameTakenAsync(db, tenant.ResellerId, request.Settings.Name, tenantId, ct))
        {
            return ApiErrors.Conflict($"A tenant named '{request.Settings.Name}' exists already.");
        }

        var now = time.GetUtcNow();
        tenant.Name = request.Settings.Name;
        request.Settings.ApplyTo(tenant);
        if (request.Status != tenant.Status)
        {
            if (request.Status == TenantStatus.Active)
            {
                tenant.Activate();
            }
            else if (request.Status == TenantStatus.Suspended)
            {
                tenant.Suspend(now);
            }
            else
            {
                tenant.Status = request.Status;
            }
        }

        db.AuditEvents.Add(ApiCaller.From(http).Audit(now, "tenant.update", "tenant", tenant.Id, tenant.Id));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(TenantResponse.From(tenant));
    }
}
