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
/// Claims a handset for a tenant by its MAC and, for a handset with a factory certificate, that certificate's serial
/// number from the box (the second fact without which the factory certificate never enrols). A MAC on record anywhere
/// else gets the very answer a malformed claim gets, after the same work; the operator reads which it was in the audit.
/// </summary>
public static class CreateDevice
{
    public sealed record Request(
        [Required] string Mac,
        DeviceVendor Vendor,
        [Required, StringLength(100, MinimumLength = 1)] string Model,
        Guid[]? Lines = null,
        [StringLength(80)] string? FactorySerial = null);

    public static async Task<Results<Created<DeviceResponse>, ValidationProblem, Conflict<ProblemDetails>>> HandleAsync(
        Guid tenantId, Request request, HttpContext http, PbxDbContext db, TimeProvider time, CancellationToken ct)
    {
        if (!MacAddress.TryParse(request.Mac, out var mac, out var error))
        {
            return ApiErrors.Invalid(nameof(Request.Mac), error);
        }

        // The MAC is unique across the platform, and whether another tenant holds it is nobody else's business: a taken
        // MAC and a malformed serial get the same refusal, after the same lookup and the same audit write.
        var now = time.GetUtcNow();
        var serial = FactorySerial.Normalize(request.FactorySerial);
        var owner = await MacRegistry.OwnerAsync(db, mac, ct);
        var malformed = request.FactorySerial is not null && serial is null;
        if (owner is not null || malformed)
        {
            await MacRegistry.AuditRefusedClaimAsync(db, ApiCaller.From(http).Audit(now, "device.claim", "device", Guid.Empty, null, AuditOutcome.Denied),
                tenantId, mac, owner is { } held ? $"MAC {mac} is held by tenant {held}" : "the factory serial is not a certificate serial number", ct);
            return ApiErrors.Invalid(nameof(Request.Mac), MacRegistry.ClaimRefused);
        }

        var (device, problem) = await DeviceEnrolment.PrepareAsync(db, tenantId, mac, request.Vendor, request.Model, serial, request.Lines ?? [], now, ct);
        if (device is null)
        {
            return ApiErrors.Invalid(nameof(Request.Lines), problem!);
        }

        db.AuditEvents.Add(ApiCaller.From(http).Audit(now, "device.create", "device", device.Id, tenantId));
        await db.SaveChangesAsync(ct);
        var created = await db.Devices.AsNoTracking().Where(d => d.Id == device.Id).Select(DeviceResponse.Projection).SingleAsync(ct);
        return TypedResults.Created($"/api/v1/tenants/{tenantId}/devices/{device.Id}", created);
    }
}
