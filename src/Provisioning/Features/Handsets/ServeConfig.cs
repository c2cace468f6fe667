using System.Globalization;
using HostedPbx.Data;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Tenancy;
using HostedPbx.Provisioning.Features.Vendors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HostedPbx.Provisioning.Features.Handsets;

/// <summary>
/// <c>GET /provision/{file}</c>: served only to the handset whose verified client certificate carries the MAC in
/// the file name (shared/DESIGN.md, "Identity of a handset"). Every answer is audited; a refusal is a bare 403 that
/// never says which check failed.
/// </summary>
public static class ServeConfig
{
    public static async Task<Results<FileContentHttpResult, ForbidHttpResult, StatusCodeHttpResult>> HandleAsync(
        string fileName, HttpContext http, PbxDbContext db, HandsetIdentityCheck identityCheck, PlatformAuthority authority,
        KeyProtector protector, IOptions<ProvisioningOptions> options, RefusalAuditLimiter limiter, TimeProvider time, CancellationToken ct)
    {
        db.UseScope(DbScope.System);
        var certificate = await http.Connection.GetClientCertificateAsync(ct);
        var outcome = await identityCheck.CheckAsync(db, certificate, null, ct);
        var requested = HandsetFileName.TryParse(fileName, out var request) ? request : null;
        string? refusal = outcome.Refusal;
        if (refusal is null && requested is null)
        {
            refusal = $"'{Truncate(fileName)}' is not a provisioning file name";
        }
        else if (refusal is null && requested!.Mac.ToString() != outcome.Identity!.Mac)
        {
            refusal = $"certificate of {outcome.Identity.Mac} asked for {requested.Mac}";
        }
        else if (refusal is null && !requested!.IsServedBy(outcome.Identity!.Device.Vendor))
        {
            refusal = $"'{Truncate(fileName)}' is not a {outcome.Identity.Device.Vendor} file";
        }

        var now = time.GetUtcNow();
        if (refusal is not null)
        {
            // Audited one by one up to a rate per address; beyond it counted, and the count audited once.
            var admission = limiter.Admit(http.Connection.RemoteIpAddress);
            if (admission.Unaudited > 0)
            {
                db.AuditEvents.Add(Audit(now, http, null, fileName, AuditOutcome.Denied,
                    $"{admission.Unaudited} more refusals from this address in its previous minute, over the limit: counted, not audited one by one",
                    "handset.provision.unaudited"));
            }

            if (admission.Audit)
            {
                db.AuditEvents.Add(Audit(now, http, outcome.Identity?.Device, fileName, AuditOutcome.Denied, refusal));
            }

            await db.SaveChangesAsync(ct);
            return TypedResults.Forbid();
        }

        var identity = outcome.Identity!;
        var device = identity.Device;
        if (device.ActiveCertificateId is null)
        {
            // A vendor's factory certificate enrols its device on first use; from now on only it is accepted.
            var enrolled = new DeviceCertificate
            {
                TenantId = device.TenantId, DeviceId = device.Id, IssuerId = identity.Anchor.Id,
                Serial = CertificateIdentity.SerialNumber(certificate!), Fingerprint = identity.Fingerprint, Subject = identity.Subject,
                Mac = identity.Mac, NotBefore = certificate!.NotBefore.ToUniversalTime(), NotAfter = certificate.NotAfter.ToUniversalTime(),
                Source = CertificateSource.Uploaded, CertificateDer = certificate.RawData, CreatedAt = now,
            };
            db.DeviceCertificates.Add(enrolled);
            await db.SaveChangesAsync(ct);
            device.ActiveCertificateId = enrolled.Id;
        }

        else if (identity.Successor is { } successor)
        {
            // The handset now presents the renewal of its certificate: enrol it, which retires the one it renews.
            await authority.EnrolAsync(db, device, successor, ct);
            db.AuditEvents.Add(Audit(now, http, device, fileName, AuditOutcome.Success, null, "device.certificate.enrol"));
        }

        var caUrl = new Uri($"https://{http.Request.Host}{HandsetEndpoints.TrustAnchorPath}");
        var file = requested!.FileName.EndsWith(HandsetFileName.RenewalSuffix, StringComparison.Ordinal)
            ? await RenewalAsync(db, device, protector, ct)
            : await RenderAsync(db, device, requested, options.Value, caUrl, ct);
        if (file is null)
        {
            return TypedResults.StatusCode(StatusCodes.Status404NotFound);
        }

        device.LastProvisionedAt = now;
        db.AuditEvents.Add(Audit(now, http, device, fileName, AuditOutcome.Success, null));
        await db.SaveChangesAsync(ct);
        return TypedResults.File(file.Content.ToArray(), file.ContentType, fileDownloadName: null);
    }

    /// <summary>The renewal of the device's certificate with its key, once: after this answer the platform keeps no copy of the key.</summary>
    private static async Task<HandsetFile?> RenewalAsync(PbxDbContext db, Device device, KeyProtector protector, CancellationToken ct)
    {
        var renewalId = await db.DeviceCertificates
            .Where(c => c.DeviceId == device.Id && c.RenewsCertificateId == device.ActiveCertificateId && c.RevokedAt == null)
            .Select(c => (Guid?)c.Id).SingleOrDefaultAsync(ct);
        var download = renewalId is { } id ? await CertificateDownload.TakeAsync(db, id, DownloadFormat.Pem, "", protector, ct) : null;
        return download is null ? null : new HandsetFile(download.FileName, download.ContentType, download.Bytes);
    }

    private static async Task<HandsetFile?> RenderAsync(PbxDbContext db, Device device, HandsetFileRequest request, ProvisioningOptions options,
        Uri caUrl, CancellationToken ct)
    {
        var template = HandsetTemplates.For(device.Vendor);
        if (template is null)
        {
            return null;
        }

        var tenant = await db.Tenants.AsNoTracking().SingleAsync(t => t.Id == device.TenantId, ct);
        var lines = await db.DeviceLines.AsNoTracking().Where(l => l.DeviceId == device.Id).OrderBy(l => l.Position)
            .Select(l => new HandsetLine(l.Position, l.Extension!.Number, l.Extension.DisplayName)).ToListAsync(ct);
        var model = new HandsetConfigModel
        {
            Mac = request.Mac, Vendor = device.Vendor, Model = device.Model, SwitchHost = options.SwitchHost, SwitchPort = options.SwitchPort,
            BackupSwitchHost = string.IsNullOrEmpty(options.BackupSwitchHost) ? null : options.BackupSwitchHost, BackupSwitchPort = options.BackupSwitchPort,
            Lines = lines, SwitchCaPem = await File.ReadAllTextAsync(options.SwitchCaPath, ct), SwitchCaUrl = caUrl, VoicemailNumber = tenant.VoicemailAccessNumber,
            TimeZone = tenant.TimeZone, Baresip = device.Vendor == DeviceVendor.Baresip ? Softphone(request, lines.FirstOrDefault()?.Number, options) : null,
        };
        try
        {
            return template.Render(model).FirstOrDefault(f => string.Equals(f.Name, request.FileName, StringComparison.OrdinalIgnoreCase));
        }
        catch (ArgumentException)
        {
            // A handset with no line, or a value no file of this vendor may carry safely: nothing to serve.
            return null;
        }
    }

    /// <summary>Where a softphone on the demo machine keeps its files, and ports derived from its first extension so two run side by side.</summary>
    private static BaresipSettings Softphone(HandsetFileRequest request, string? firstNumber, ProvisioningOptions options)
    {
        var slot = int.TryParse(firstNumber, CultureInfo.InvariantCulture, out var n) ? n % 400 : 0;
        var root = Path.GetFullPath(options.SoftphoneFilesDirectory);
        return new BaresipSettings
        {
            CertificatePath = Path.Combine(root, "devices", $"{request.Mac}.pem"), CaPath = Path.Combine(root, "ca.crt"),
            SipListen = $"127.0.0.1:{16000 + (2 * slot)}", RtpPorts = $"{40000 + (50 * slot)}-{40000 + (50 * slot) + 49}",
            ControlListen = $"127.0.0.1:{17000 + slot}",
            // The demo machine has no sound card: play a file and record what arrives beside it.
            AudioSource = $"aufile,{Path.Combine(root, "audio", "demo.wav")}",
            RecordingPath = Path.Combine(root, "recordings", request.Mac.ToString()),
        };
    }

    private static AuditEvent Audit(DateTimeOffset now, HttpContext http, Device? device, string fileName, AuditOutcome outcome, string? reason,
        string action = "handset.provision") => new()
    {
        OccurredAt = now, TenantId = device?.TenantId, ActorKind = AuditActorKind.Device, ActorId = device?.Mac,
        ActorName = device is null ? "unknown handset" : $"handset {device.Mac}", Action = action, TargetKind = "file",
        TargetId = Truncate(fileName), Outcome = outcome, Reason = reason, SourceAddress = http.Connection.RemoteIpAddress,
    };

    private static string Truncate(string value) => value.Length <= 100 ? value : value[..100];
}
