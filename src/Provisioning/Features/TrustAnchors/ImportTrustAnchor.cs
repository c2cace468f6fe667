using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.TrustAnchors;

/// <summary>
/// Imports a vendor's factory CA (PEM) with where that vendor puts the MAC in its handsets' certificates and, optionally,
/// the MAC prefixes (the vendor's OUIs) it may vouch for: it will speak only for devices of that vendor in those ranges.
/// </summary>
public static class ImportTrustAnchor
{
    public sealed record Request([Required, StringLength(200, MinimumLength = 1)] string Name, DeviceVendor Vendor, MacLocation MacLocation,
        [Required, StringLength(32 * 1024)] string Pem, [MaxLength(64)] string[]? MacPrefixes = null);

    public static async Task<Results<Created<TrustAnchorResponse>, ValidationProblem, Conflict<ProblemDetails>>> HandleAsync(Request request,
        HttpContext http, PbxDbContext db, PlatformAuthority authority, TimeProvider time, CancellationToken ct)
    {
        var prefixes = (request.MacPrefixes ?? []).Select(p => p.Replace(":", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal)
            .ToLowerInvariant()).Distinct().ToList();
        if (prefixes.Any(p => p.Length is < 6 or > 11 || !p.All(char.IsAsciiHexDigit)))
        {
            return ApiErrors.Invalid(nameof(Request.MacPrefixes), "A MAC prefix is 6 to 11 hexadecimal digits, e.g. 000b82 (an OUI).");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(request.Pem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return ApiErrors.Invalid(nameof(Request.Pem), "This is not a PEM certificate (-----BEGIN CERTIFICATE-----).");
        }

        using (certificate)
        {
            var now = time.GetUtcNow();
            if (certificate.Extensions.OfType<X509BasicConstraintsExtension>().SingleOrDefault() is not { CertificateAuthority: true })
            {
                return ApiErrors.Invalid(nameof(Request.Pem), "This certificate is not a CA (basicConstraints CA:TRUE).");
            }

            if (certificate.NotAfter.ToUniversalTime() <= now.UtcDateTime)
            {
                return ApiErrors.Invalid(nameof(Request.Pem), "This CA has expired; import its current certificate.");
            }

            var anchor = authority.ToAnchor(certificate, TrustAnchorKind.Vendor, request.Name.Trim());
            if (await db.TrustAnchors.AnyAsync(a => a.Fingerprint == anchor.Fingerprint, ct))
            {
                return ApiErrors.Conflict("This CA is already on record.");
            }

            anchor.Vendor = request.Vendor;
            anchor.MacLocation = request.MacLocation;
            anchor.MacPrefixes = prefixes;
            db.TrustAnchors.Add(anchor);
            db.AuditEvents.Add(ApiCaller.From(http).Audit(now, "trust-anchor.import", "trust-anchor", anchor.Id, null));
            await db.SaveChangesAsync(ct);
            return TypedResults.Created($"/api/v1/trust-anchors/{anchor.Id}", await db.TrustAnchors.AsNoTracking()
                .Where(a => a.Id == anchor.Id).Select(TrustAnchorResponse.Projection).SingleAsync(ct));
        }
    }
}
