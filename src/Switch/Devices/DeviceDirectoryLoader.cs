using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.Devices;

/// <summary>Reads a <see cref="DeviceDirectory"/> snapshot as the switch's role (which may read every tenant's configuration).</summary>
internal sealed class DeviceDirectoryLoader(IDbContextFactory<PbxDbContext> contexts)
{
    public async Task<DeviceDirectory> LoadAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // As HandsetIdentityCheck: the platform root signs servers, not handsets, so it anchors no handset.
        var anchors = await db.TrustAnchors.AsNoTracking().Where(a => a.Enabled && a.Kind != TrustAnchorKind.PlatformRoot)
            .Select(a => new { a.Name, a.CertificateDer, a.MacLocation, IsVendor = a.Kind == TrustAnchorKind.Vendor, a.Vendor, a.MacPrefixes })
            .ToListAsync(cancellationToken);
        // The kept revocations: a revoked certificate stays refused after its device is deleted and its MAC re-added.
        var revoked = await db.CertificateRevocations.AsNoTracking()
            .Select(r => new { IssuerFingerprint = r.Issuer!.Fingerprint, r.Serial })
            .ToListAsync(cancellationToken);
        var devices = await db.Devices.AsNoTracking()
            .Select(d => new
            {
                d.Id,
                d.TenantId,
                d.Mac,
                d.Vendor,
                d.FactorySerial,
                d.Status,
                TenantStatus = d.Tenant!.Status,
                Fingerprint = d.ActiveCertificate == null ? null : d.ActiveCertificate.Fingerprint,
                // Only while the enrolled certificate stands: revoking it shuts out its renewal too.
                Renewal = d.Certificates
                    .Where(c => c.RenewsCertificateId == d.ActiveCertificateId && c.RevokedAt == null && d.ActiveCertificate!.RevokedAt == null)
                    .Select(c => c.Fingerprint).FirstOrDefault(),
                Lines = d.Lines.OrderBy(l => l.Position).Select(l => l.Extension!.Number).ToList(),
            })
            .ToListAsync(cancellationToken);
        var extensions = await db.Extensions.AsNoTracking()
            .Select(e => new DirectoryExtension(e.Id, e.TenantId, e.Number, e.DisplayName, e.SipDigestRequired, e.SipDigestHa1Sha256, e.SipDigestHa1Md5,
                e.ForwardAlways, e.ForwardBusy, e.ForwardNoAnswer, e.ForwardNoAnswerSeconds, e.VoicemailEnabled))
            .ToListAsync(cancellationToken);
        var suites = await db.Tenants.AsNoTracking().Select(t => new { t.Id, t.AllowedSrtpSuites, t.MaxConcurrentCalls, t.AnnounceUnknownNumbers, t.VoicemailAccessNumber }).ToListAsync(cancellationToken);
        return new DeviceDirectory(
            [.. anchors.Select(a => new DirectoryAnchor(
                a.Name, X509CertificateLoader.LoadCertificate(a.CertificateDer), a.MacLocation, a.IsVendor, a.Vendor ?? DeviceVendor.Other, a.MacPrefixes))],
            new RevokedSerials(revoked.Select(r => (r.IssuerFingerprint, r.Serial))),
            devices.Select(d => new DirectoryDevice(
                d.Id, d.TenantId, d.Mac, d.Status == DeviceStatus.Active, d.TenantStatus == TenantStatus.Active, d.Fingerprint, d.Lines, d.Renewal, d.Vendor, d.FactorySerial)),
            extensions,
            suites.ToDictionary(t => t.Id, t => (IReadOnlyList<string>)t.AllowedSrtpSuites),
            suites.ToDictionary(t => t.Id, t => (t.MaxConcurrentCalls, t.AnnounceUnknownNumbers)),
            suites.ToDictionary(t => t.Id, t => t.VoicemailAccessNumber));
    }
}
