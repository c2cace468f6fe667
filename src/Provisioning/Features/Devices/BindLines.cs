using HostedPbx.Data;
using HostedPbx.Data.Devices;
using HostedPbx.Data.Queries;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Devices;

/// <summary>Replaces a handset's lines with the given extensions, in line order.</summary>
public static class BindLines
{
    public sealed record Request(Guid[] Lines);

    public static async Task<Results<Ok<DeviceResponse>, ValidationProblem, NotFound<ProblemDetails>>> HandleAsync(
        Guid tenantId, Guid deviceId, Request request, HttpContext http, PbxDbContext db, TimeProvider time, CancellationToken ct)
    {
        var device = await db.Devices.ForTenant(tenantId).Include(d => d.Lines).SingleOrDefaultAsync(d => d.Id == deviceId, ct);
        if (device is null)
        {
            return ApiErrors.NotFound("device");
        }

        var (lines, problem) = await DeviceLines.ResolveAsync(db, tenantId, deviceId, request.Lines ?? [], ct);
        if (lines is null)
        {
            return ApiErrors.Invalid(nameof(Request.Lines), problem!);
        }

        var audit = ApiCaller.From(http).Audit(time.GetUtcNow(), "device.lines", "device", deviceId, tenantId);
        // Its own transaction, so run whole by the retrying strategy; each attempt starts from what is stored.
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            db.DeviceLines.RemoveRange(await db.DeviceLines.Where(l => l.DeviceId == deviceId).ToListAsync(ct));
            await db.SaveChangesAsync(ct);
            db.DeviceLines.AddRange(lines);
            db.AuditEvents.Add(audit);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        });
        return TypedResults.Ok(await db.Devices.AsNoTracking().Where(d => d.Id == deviceId).Select(DeviceResponse.Projection).SingleAsync(ct));
    }
}
