using System.ComponentModel.DataAnnotations;
using HostedPbx.Data;
using HostedPbx.Data.Tenants;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Tenants;

public static class CreateTenant
{
    public sealed record Request([Required] TenantSettings Settings, Guid? ResellerId = null);

    public static async Task<Results<Created<TenantResponse>, ValidationProblem, Conflict<ProblemDetails>>> HandleAsync(
        Request request, HttpContext http, PbxDbContext db, TimeProvider time, CancellationToken ct)
    {
        var caller = ApiCaller.From(http);
        if (request.Settings.Problem() is { } problem)
        {
            return ApiErrors.Invalid($"Settings.{problem.Field}", problem.Message);
        }

        // A reseller's key creates for its own reseller; only the operator names one.
        var resellerId = caller.ResellerId ?? request.ResellerId;
        if (resellerId is null || (caller.ResellerId is not null && request.ResellerId is { } named && named != caller.ResellerId))
        {
            return ApiErrors.Invalid(nameof(Request.ResellerId), "Give the reseller the tenant belongs to (operator keys only; a reseller's key creates for its own reseller).");
        }

        if (caller.IsOperator && !await db.Resellers.AnyAsync(r => r.Id == resellerId, ct))
        {
            return ApiErrors.Invalid(nameof(Request.ResellerId), "No such reseller.");
        }

        if (await TenantCreation.NameTakenAsync(db, resellerId.Value, request.Settings.Name, null, ct))
        {
            return ApiErrors.Conflict($"A tenant named '{request.Settings.Name}' exists already.");
        }

        var tenant = await TenantCreation.AddAsync(db, resellerId.Value, request.Settings, time.GetUtcNow(),
            t => caller.Audit(t.CreatedAt, "tenant.create", "tenant", t.Id, t.Id), ct);
        return TypedResults.Created($"/api/v1/tenants/{tenant.Id}", TenantResponse.From(tenant));
    }
}
