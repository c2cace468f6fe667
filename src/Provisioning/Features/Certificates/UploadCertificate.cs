using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Queries;
using HostedPbx.Data.Tenancy;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Certificates;

/// <summary>
/// Records a handset's factory certificate (PEM, no key): it must chain to an enabled vendor anchor on record, be
/// valid now, and carry this device's MAC where that vendor puts it. It becomes the device's certificate on record.
/// </summary>
public static class UploadCertificate
{
    public sealed record Request([Required, StringLength(32 * 1024)] string Pem, string[]? ChainPem = null);

    public static async Task<Results<Created<CertificateResponse>, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> HandleAsync(
        Guid tenantId, Guid deviceId, Request request, HttpContext http, PbxDbContext db, PlatformAuthority authority,
        ClientCertificateValidator validator, TimeProvider time, CancellationToken ct)
    {
        var device = await db.Devices.ForTenant(tenantId).SingleOrDefaultAsync(d => d.Id == deviceId, ct);
        if (device is null)
        {
            return ApiErrors.NotFound("device");
        }

        using var certificate = TryLoad(request.Pem);
        if (certificate is null)
        {
            return ApiErrors.Invalid(nameof(Request.Pem), "This is not a PEM certificate (-----BEGIN CERTIFICATE-----).");
        }

        var anchors = await db.TrustAnchors.AsNoTracking().Where(a => a.Enabled && a.Kind == TrustAnchorKind.Vendor).ToListAsync(ct);
        var anchorCertificates = anchors.Select(a => X509CertificateLoader.LoadCertificate(a.CertificateDer)).ToList();
        var chain = (request.ChainPem ?? []).Select(TryLoad).OfType<X509Certificate2>().ToList();
        var result = validator.Validate(certificate, chain, anchorCertificates, RevokedSerials.None);
        if (!result.IsTrusted)
        {
            return ApiErrors.Invalid(nameof(Request.Pem), result.Refusal switch
            {
                CertificateRefusal.Expired => "The certificate has expired.",
                CertificateRefusal.NotYetValid => "The certificate is not valid yet.",
                CertificateRefusal.AnchorExpired => "The vendor CA it chains to has expired; the operator must import a current one.",
                _ => "The certificate does not chain to a vendor CA on record (or is not a client certificate).",
            });
        }

        var anchor = anchors[anchorCertificates.IndexOf(result.Anchor!)];
        // An anchor speaks only for its own vendor and MAC ranges (as HandsetTrust decides for the handshake).
        if (anchor.Vendor != device.Vendor || !anchor.MacPrefixes.DefaultIfEmpty("").Any(p => device.Mac.StartsWith(p, StringComparison.Ordinal)))
        {
            return ApiErrors.Invalid(nameof(Request.Pem), "The certificate does not chain to a vendor CA on record (or is not a client certificate).");
        }

        if (!CertificateMacReader.TryRead(certificate, anchor.MacLocation, out var mac) || mac.ToString() != device.Mac)
        {
            return ApiErrors.Invalid(nameof(Request.Pem), $"The certificate does not carry this device's MAC where {anchor.Name} puts it ({anchor.MacLocation}).");
        }

        var fingerprint = CertificateIdentity.Sha256Fingerprint(certificate);
        if (await FingerprintKnownAsync(db, fingerprint, ct))
        {
            return ApiErrors.Conflict("This certificate is already on record.");
        }

        var row = authority.ToDeviceCertificate(certificate, device, anchor.Id, CertificateSource.Uploaded);
        await authority.EnrolAsync(db, device, row, ct);
        db.AuditEvents.Add(ApiCaller.From(http).Audit(time.GetUtcNow(), "device.certificate.upload", "certificate", row.Id, tenantId));
        await db.SaveChangesAsync(ct);
        var response = await db.DeviceCertificates.AsNoTracking().Where(c => c.Id == row.Id).Select(CertificateResponse.Projection).SingleAsync(ct);
        return TypedResults.Created($"/api/v1/tenants/{tenantId}/devices/{deviceId}/certificates", response);
    }

    private static X509Certificate2? TryLoad(string pem)
    {
        try
        {
            return X509Certificate2.CreateFromPem(pem);
        }
        catch (CryptographicException)
        {
            return null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static async Task<bool> FingerprintKnownAsync(PbxDbContext db, string fingerprint, CancellationToken ct)
    {
        var scope = db.Scope;
        db.UseScope(DbScope.System);
        try
        {
            return await db.DeviceCertificates.AnyAsync(c => c.Fingerprint == fingerprint, ct);
        }
        finally
        {
            db.UseScope(scope);
        }
    }
}
