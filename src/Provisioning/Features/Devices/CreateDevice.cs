using System.ComponentModel.DataAnnotations;
using HostedPbx.Data;
using HostedPbx.Data.Devices;
using HostedPbx.Data.Entities;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Devices;

public static class CreateDevice
{
    public sealed record Request(
        [Required] string Mac,
        DeviceVendor Vendor,
        [Required, StringLength(100, MinimumLength = 1)] string Model,
        Guid[]? Lines = null);

    public static async Task<Results<Created<DeviceResponse>, ValidationProblem, Conflict<ProblemDetails>>> HandleAsync(
        Guid tenantId, Request request, HttpContext http, PbxDbContext db, TimeProvider time, CancellationToken ct)
    {
        if (!MacAddress.TryParse(request.Mac, out var mac, out var error))
        {
            return ApiErrors.Invalid(nameof(Request.Mac), error);
        }

        // The MAC is unique across the platform; say so without telling whose device holds it.
        if (await MacRegistry.IsTakenAsync(db, mac, ct))
        {
            return ApiErrors.Conflict($"A handset with MAC {mac.ToDisplayString()} is already on record.");
        }

        var now = time.GetUtcNow();
        var device = new Device { TenantId = tenantId, Mac = mac.ToString(), Vendor = request.Vendor, Model = request.Model.Trim(), CreatedAt = now };
        var (lines, problem) = await DeviceLines.ResolveAsync(db, tenantId, device.Id, request.Lines ?? [], ct);
        if (lines is null)
        {
            return ApiErrors.Invalid(nameof(Request.Lines), problem!);
        }

        device.Lines.AddRange(lines);
        db.Devices.Add(device);
        db.AuditEvents.Add(ApiCaller.From(http).Audit(now, "device.create", "device", device.Id, tenantId));
        await db.SaveChangesAsync(ct);
        var created = await db.Devices.AsNoTracking().Where(d => d.Id == device.Id).Select(DeviceResponse.Projection).SingleAsync(ct);
        return TypedResults.Created($"/api/v1/tenants/{tenantId}/devices/{device.Id}", created);
    }
}
