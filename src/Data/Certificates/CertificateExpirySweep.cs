using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HostedPbx.Data.Certificates;

/// <summary>
/// Looks ahead at the certificates devices are enrolled with: a platform certificate that ends within the renewal
/// lead gets a successor (once), and a vendor's factory certificate, which only its vendor can renew, is flagged for
/// an admin's attention (once). Both are audited. Idempotent: a second run finds nothing more to do.
/// </summary>
public sealed class CertificateExpirySweep(PlatformAuthority authority, IOptions<CertificateAuthorityOptions> options, TimeProvider time)
{
    public sealed record Result(int Renewed, int Flagged);

    /// <summary>Runs the sweep; <paramref name="db"/> must have the platform's scope, as it spans every tenant.</summary>
    public async Task<Result> RunAsync(PbxDbContext db, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var horizon = now.AddDays(options.Value.RenewalLeadDays);
        var due = await db.Devices.Include(d => d.ActiveCertificate)
            .Where(d => d.Status == DeviceStatus.Active && d.ActiveCertificate != null && d.ActiveCertificate.RevokedAt == null
                && d.ActiveCertificate.NotAfter <= horizon && d.ActiveCertificate.NotAfter > now)
            .Where(d => d.ActiveCertificate!.Source == CertificateSource.Uploaded
                ? d.ActiveCertificate.ExpiryFlaggedAt == null
                : !db.DeviceCertificates.Any(c => c.RenewsCertificateId == d.ActiveCertificateId && c.RevokedAt == null))
            .OrderBy(d => d.ActiveCertificate!.NotAfter)
            .ToListAsync(cancellationToken);
        int renewed = 0, flagged = 0;
        foreach (var device in due)
        {
            var current = device.ActiveCertificate!;
            if (current.Source == CertificateSource.Issued)
            {
                var successor = await authority.RenewDeviceAsync(db, device, current, cancellationToken);
                db.AuditEvents.Add(Audit(now, device, "device.certificate.renew", successor.Id,
                    $"certificate {current.Serial} ends {current.NotAfter:u}; successor {successor.Serial} issued"));
                renewed++;
            }
            else
            {
                current.ExpiryFlaggedAt = now;
                db.AuditEvents.Add(Audit(now, device, "device.certificate.expiring", current.Id,
                    $"vendor certificate {current.Serial} ends {current.NotAfter:u}; only its vendor can renew it"));
                flagged++;
            }

            // One device at a time: a failure later in the run keeps what was done before it.
            await db.SaveChangesAsync(cancellationToken);
        }

        return new Result(renewed, flagged);
    }

    private static AuditEvent Audit(DateTimeOffset now, Device device, string action, Guid certificateId, string reason) => new()
    {
        OccurredAt = now, TenantId = device.TenantId, ActorKind = AuditActorKind.System, ActorName = "certificate expiry sweep",
        Action = action, TargetKind = "certificate", TargetId = certificateId.ToString(), Outcome = AuditOutcome.Success, Reason = reason,
    };
}
