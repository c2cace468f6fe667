using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Data.Certificates;

/// <summary>
/// Provisioning's side of <see cref="HandsetTrust"/>: builds its snapshot from the database (the enabled anchors, our
/// revocations, and the devices whose MACs the certificate could name), lets it decide, and loads what it accepted.
/// The reason of a refusal is for the audit trail only.
/// </summary>
public sealed class HandsetIdentityCheck(TimeProvider time)
{
    public sealed record Outcome(HandsetIdentity? Identity, string? Refusal)
    {
        public bool IsAccepted => Identity is not null;
    }

    /// <summary>Checks the certificate; <paramref name="db"/> must have the platform's scope, as the tenant is not known yet.</summary>
    public async Task<Outcome> CheckAsync(PbxDbContext db, X509Certificate2? certificate, IEnumerable<X509Certificate2>? presentedChain,
        CancellationToken cancellationToken)
    {
        var rows = await db.TrustAnchors.AsNoTracking().Where(a => a.Enabled && a.Kind != TrustAnchorKind.PlatformRoot).ToListAsync(cancellationToken);
        var anchors = rows.Select(a => new HandsetAnchor(a.Name, X509CertificateLoader.LoadCertificate(a.CertificateDer), a.Kind, a.Vendor,
            a.MacLocation, a.MacPrefixes) { Id = a.Id }).ToList();
        try
        {
            var revoked = await db.CertificateRevocations.AsNoTracking()
                .Select(r => new { r.Issuer!.Fingerprint, r.Serial }).ToListAsync(cancellationToken);
            var devices = certificate is null ? [] : await DevicesNamedByAsync(db, certificate, anchors, cancellationToken);
            var snapshot = new HandsetTrustSnapshot(anchors, new RevokedSerials(revoked.Select(r => (r.Fingerprint, r.Serial))),
                mac => devices.GetValueOrDefault(mac));
            var decision = HandsetTrust.Decide(snapshot, certificate, presentedChain, time.GetUtcNow());
            if (!decision.IsAccepted)
            {
                return new Outcome(null, decision.Refusal);
            }

            var device = await db.Devices.Include(d => d.Tenant).Include(d => d.ActiveCertificate)
                .SingleAsync(d => d.Id == decision.Device.Id, cancellationToken);
            var successor = decision.IsRenewal
                ? await db.DeviceCertificates.SingleAsync(
                    c => c.RenewsCertificateId == device.ActiveCertificateId && c.Fingerprint == decision.Fingerprint && c.RevokedAt == null, cancellationToken)
                : null;
            var anchor = rows.Single(a => a.Id == decision.Anchor.Id);
            return new Outcome(new HandsetIdentity(device, decision.Mac, decision.Fingerprint, certificate!.Subject, anchor, successor), null);
        }
        finally
        {
            anchors.ForEach(a => a.Certificate.Dispose());
        }
    }

    /// <summary>The devices whose MAC the certificate carries at any place an anchor reads it from.</summary>
    private static async Task<Dictionary<string, HandsetOnRecord>> DevicesNamedByAsync(PbxDbContext db, X509Certificate2 certificate,
        List<HandsetAnchor> anchors, CancellationToken cancellationToken)
    {
        var macs = anchors.Select(a => a.MacLocation).Distinct()
            .Select(location => CertificateMacReader.TryRead(certificate, location, out var mac) ? mac.ToString() : null)
            .OfType<string>().Distinct().ToList();
        return await db.Devices.AsNoTracking().Where(d => macs.Contains(d.Mac))
            .Select(d => new HandsetOnRecord(d.Id, d.TenantId, d.Mac, d.Vendor, d.Status == DeviceStatus.Active, d.Tenant!.Status == TenantStatus.Active,
                d.ActiveCertificate == null ? null : d.ActiveCertificate.Fingerprint,
                // Only while the enrolled certificate stands: revoking it (a stolen handset) shuts out its renewal too.
                d.Certificates.Where(c => c.RenewsCertificateId == d.ActiveCertificateId && c.RevokedAt == null && d.ActiveCertificate!.RevokedAt == null)
                    .Select(c => c.Fingerprint).FirstOrDefault(),
                d.FactorySerial))
            .ToDictionaryAsync(d => d.Mac, cancellationToken);
    }
}
