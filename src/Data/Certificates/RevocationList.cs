using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Data.Certificates;

/// <summary>
/// The device CA's CRL, built from the revocations on record. The CRL number is the time of the newest revocation
/// (seconds since the epoch), so it only grows and two builders of the same data agree.
/// </summary>
public sealed class RevocationList(CertificateIssuer issuer, PlatformAuthority authority)
{
    public async Task<byte[]> BuildAsync(PbxDbContext db, CancellationToken cancellationToken)
    {
        var (ca, anchor) = await authority.LoadDeviceIssuerAsync(db, cancellationToken);
        using (ca)
        {
            var revoked = await db.DeviceCertificates.AsNoTracking().Where(c => c.IssuerId == anchor.Id && c.RevokedAt != null)
                .Select(c => new { c.Serial, RevokedAt = c.RevokedAt!.Value, c.RevocationReason }).ToListAsync(cancellationToken);
            var number = revoked.Count == 0 ? BigInteger.One : new BigInteger(revoked.Max(r => r.RevokedAt).ToUnixTimeSeconds());
            return issuer.BuildRevocationList(ca, revoked.Select(r => new RevokedCertificate(r.Serial, r.RevokedAt, Reason(r.RevocationReason))), number);
        }
    }

    private static X509RevocationReason? Reason(RevocationReason? reason) => reason switch
    {
        RevocationReason.KeyCompromise => X509RevocationReason.KeyCompromise,
        RevocationReason.Superseded => X509RevocationReason.Superseded,
        RevocationReason.CessationOfOperation => X509RevocationReason.CessationOfOperation,
        RevocationReason.AffiliationChanged => X509RevocationReason.AffiliationChanged,
        RevocationReason.Unspecified or null => null,
    };
}
