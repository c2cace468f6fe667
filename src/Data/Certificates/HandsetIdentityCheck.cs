using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data.Devices;
using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Data.Certificates;

/// <summary>
/// Decides whether a presented client certificate is a handset on record, per shared/DESIGN.md "Identity of a
/// handset": the chain builds to an enabled trust anchor, the certificate is valid and unrevoked, the MAC read where
/// the anchor says names an active device of an active tenant, and, once the device is enrolled, the fingerprint is
/// the one on record. A vendor certificate enrols its device on first use; a platform certificate is enrolled when it
/// is issued, so a platform certificate that is not on record is refused; the one exception is the renewal issued
/// for the enrolled certificate (<see cref="CertificateExpirySweep"/>). The reason is for the audit trail only.
/// </summary>
public sealed class HandsetIdentityCheck(ClientCertificateValidator validator)
{
    public sealed record Outcome(HandsetIdentity? Identity, string? Refusal)
    {
        public bool IsAccepted => Identity is not null;
    }

    /// <summary>Checks the certificate; <paramref name="db"/> must have the platform's scope, as the tenant is not known yet.</summary>
    public async Task<Outcome> CheckAsync(PbxDbContext db, X509Certificate2? certificate, IEnumerable<X509Certificate2>? presentedChain,
        CancellationToken cancellationToken)
    {
        var anchors = await db.TrustAnchors.Where(a => a.Enabled && a.Kind != TrustAnchorKind.PlatformRoot).ToListAsync(cancellationToken);
        var anchorCertificates = anchors.Select(a => X509CertificateLoader.LoadCertificate(a.CertificateDer)).ToList();
        try
        {
            var revoked = await db.DeviceCertificates.Where(c => c.RevokedAt != null)
                .Select(c => new { c.Issuer!.Fingerprint, c.Serial }).ToListAsync(cancellationToken);
            var result = validator.Validate(certificate, presentedChain, anchorCertificates,
                new RevokedSerials(revoked.Select(r => (r.Fingerprint, r.Serial))));
            if (!result.IsTrusted)
            {
                return Refuse($"certificate {result.Refusal}");
            }

            var anchor = anchors[anchorCertificates.IndexOf(result.Anchor!)];
            if (!CertificateMacReader.TryRead(certificate!, anchor.MacLocation, out var mac))
            {
                return Refuse($"no MAC at {anchor.MacLocation} under anchor {anchor.Name}");
            }

            return await MatchDeviceAsync(db, certificate!, mac, anchor, cancellationToken);
        }
        finally
        {
            anchorCertificates.ForEach(c => c.Dispose());
        }
    }

    private static async Task<Outcome> MatchDeviceAsync(PbxDbContext db, X509Certificate2 certificate, MacAddress mac, TrustAnchor anchor,
        CancellationToken cancellationToken)
    {
        var macText = mac.ToString();
        var device = await db.Devices.Include(d => d.Tenant).Include(d => d.ActiveCertificate)
            .SingleOrDefaultAsync(d => d.Mac == macText, cancellationToken);
        var fingerprint = CertificateIdentity.Sha256Fingerprint(certificate);
        if (device is null)
        {
            return Refuse($"no device with MAC {macText}");
        }

        if (device.Status != DeviceStatus.Active || device.Tenant!.Status != TenantStatus.Active)
        {
            return Refuse($"device {macText} or its tenant is not active");
        }

        DeviceCertificate? successor = null;
        if (device.ActiveCertificate is { } enrolled && enrolled.Fingerprint != fingerprint)
        {
            // The renewal the platform issued ahead of the enrolled certificate's expiry is the one other it accepts,
            // and only while the enrolled one stands: revoking it (a stolen handset) shuts out its successor too.
            successor = enrolled.RevokedAt is not null ? null : await db.DeviceCertificates.SingleOrDefaultAsync(
                c => c.RenewsCertificateId == enrolled.Id && c.Fingerprint == fingerprint && c.RevokedAt == null, cancellationToken);
            if (successor is null)
            {
                return Refuse($"certificate {fingerprint} is not the one enrolled for {macText}");
            }
        }
        else if (device.ActiveCertificate is null && anchor.Kind != TrustAnchorKind.Vendor)
        {
            return Refuse($"platform certificate {fingerprint} was never enrolled for {macText}");
        }

        return new Outcome(new HandsetIdentity(device, macText, fingerprint, certificate.Subject, anchor, successor), null);
    }

    private static Outcome Refuse(string reason) => new(null, reason);
}
