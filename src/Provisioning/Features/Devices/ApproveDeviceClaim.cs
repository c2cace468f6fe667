using System.ComponentModel.DataAnnotations;
using HostedPbx.Data;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Devices;
using HostedPbx.Data.Entities;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Devices;

/// <summary>
/// The operator grants a claim that was refused because another tenant holds the MAC (issue "Identity and access,
/// hardened": "or the operator approves a claim that conflicts"), having checked it out of band, e.g. the handset was
/// sold on. The MAC moves: the holder's device goes, with its lines and certificates (a platform certificate of a
/// removed device is never accepted again, its revocations stay on the CRL), and the claimant's device is created in
/// the same transaction. Both tenants' audit logs show it, with the operator's reason. Operator only.
/// </summary>
public static class ApproveDeviceClaim
{
    public sealed record Request(
        Guid TenantId,
        [Required] string Mac,
        DeviceVendor Vendor,
        [Required, StringLength(100, MinimumLength = 1)] string Model,
        [Required, StringLength(500, MinimumLength = 3)] string Reason,
        Guid[]? Lines = null,
        [StringLength(80)] string? FactorySerial = null);

    public static async Task<Results<Created<DeviceResponse>, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> HandleAsync(
        Request request, HttpContext http, PbxDbContext db, TimeProvider time, CancellationToken ct)
    {
        if (!MacAddress.TryParse(request.Mac, out var mac, out var error))
        {
            return ApiErrors.Invalid(nameof(Request.Mac), error);
        }

        var serial = FactorySerial.Normalize(request.FactorySerial);
        if (request.FactorySerial is not null && serial is null)
        {
            return ApiErrors.Invalid(nameof(Request.FactorySerial), "The factory serial is not a certificate serial number (hex digits, as on the box).");
        }

        if (!await db.Tenants.AnyAsync(t => t.Id == request.TenantId, ct))
        {
            return ApiErrors.NotFound("tenant");
        }

        // One transaction, retried whole if the database fails over in the middle (FailoverExecutionStrategy).
        var now = time.GetUtcNow();
        var caller = ApiCaller.From(http);
        Results<Created<DeviceResponse>, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>>? refusal = null;
        Guid? createdId = null;
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            refusal = null;
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var held = await db.Devices.SingleOrDefaultAsync(d => d.Mac == mac.ToString(), ct);
            if (held?.TenantId == request.TenantId)
            {
                refusal = ApiErrors.Conflict($"The handset with MAC {mac} is already this tenant's.");
                return;
            }

            if (held is not null)
            {
                db.Devices.Remove(held);
                db.AuditEvents.Add(caller.Audit(now, "device.claim-moved-away", "device", held.Id, held.TenantId, reason:
                    $"the operator gave MAC {mac} to tenant {request.TenantId}: {request.Reason.Trim()}"));
                await db.SaveChangesAsync(ct);
            }

            var (device, problem) = await DeviceEnrolment.PrepareAsync(
                db, request.TenantId, mac, request.Vendor, request.Model, serial, request.Lines ?? [], now, ct);
            if (device is null)
            {
                refusal = ApiErrors.Invalid(nameof(Request.Lines), problem!);
                return;
            }

            db.AuditEvents.Add(caller.Audit(now, "device.claim-approved", "device", device.Id, request.TenantId, reason:
                held is null ? $"MAC {mac} was free: {request.Reason.Trim()}" : $"MAC {mac} moved from tenant {held.TenantId}: {request.Reason.Trim()}"));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            createdId = device.Id;
        });

        if (refusal is { } refused)
        {
            return refused;
        }

        var created = await db.Devices.AsNoTracking().Where(d => d.Id == createdId).Select(DeviceResponse.Projection).SingleAsync(ct);
        return TypedResults.Created($"/api/v1/tenants/{request.TenantId}/devices/{createdId}", created);
    }
}
